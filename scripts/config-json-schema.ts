// Builds the JSON Schema of the config file from the zod schema, so editors can complete and check it.
import { z } from 'zod';
import { JWT_ALGORITHMS } from '../src/config/auth-config-fields.js';
import { configSchema } from '../src/config/config-schema.js';
import { SCHEMA_KEY } from '../src/config/read-config-file.js';

/** A JSON Schema node, as z.toJSONSchema writes it. */
export type JsonSchema = z.core.JSONSchema.BaseSchema;

/**
 * What a file may hold for the fields the gateway parses with its own code (`z.unknown().transform`),
 * which zod cannot describe. Keyed by dotted path; the generator fails when a path no longer exists, so
 * this list cannot go stale silently.
 */
const CUSTOM_FIELD_INPUTS: Record<string, JsonSchema> = {
  'auth.mode': {
    anyOf: [
      { type: 'string', enum: ['none', 'api-keys', 'jwt', 'api-keys,jwt', 'jwt,api-keys'] },
      { type: 'array', items: { type: 'string', enum: ['api-keys', 'jwt'] }, minItems: 1 },
    ],
  },
  'auth.apiKeys': {
    anyOf: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            clientId: { type: 'string', pattern: '^\\S{1,128}$', description: 'The caller’s client id.' },
            keySha256: {
              type: 'string',
              pattern: '^[0-9a-fA-F]{64}$',
              description: 'Hex SHA-256 of the key (npm run auth:hash-key -- <key>); never the key itself.',
            },
            scopes: {
              type: 'array',
              items: { type: 'string' },
              default: [],
              description: 'e.g. orders:write',
            },
          },
          required: ['clientId', 'keySha256'],
          additionalProperties: false,
        },
      },
      { type: 'string', description: 'clientId:sha256hex[:scope,scope] entries separated by ";"' },
    ],
  },
  'http.corsOrigins': {
    anyOf: [
      { type: 'array', items: { type: 'string' } },
      { type: 'string', description: 'comma-separated origins, or *' },
    ],
  },
  'auth.jwt.audience': {
    anyOf: [
      { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
      { type: 'string', minLength: 1 },
    ],
  },
  'auth.jwt.algorithms': {
    anyOf: [
      { type: 'array', items: { type: 'string', enum: [...JWT_ALGORITHMS] }, minItems: 1 },
      { type: 'string', description: `comma-separated: ${[...JWT_ALGORITHMS].join(', ')}` },
    ],
  },
};

/** The JSON Schema (draft-07, which editors support best) of what a config file may hold. */
export function buildConfigJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(configSchema, {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => describeParsedNumbers(zodSchema, jsonSchema),
  }) as JsonSchema;
  for (const [path, input] of Object.entries(CUSTOM_FIELD_INPUTS)) {
    const field = propertyAt(schema, path.split('.'));
    if (!field) throw new Error(`CUSTOM_FIELD_INPUTS: ${path} is not a field of the config schema`);
    Object.assign(field, input);
  }
  return {
    $schema: schema.$schema,
    title: 'Fanout Gateway configuration',
    description:
      'The file FANOUT_CONFIG names (YAML or JSON). Environment variables win over it; see docs/configuration.md.',
    ...schema,
    properties: {
      [SCHEMA_KEY]: { type: 'string', description: 'The JSON Schema this file follows (for editors).' },
      ...schema.properties,
    },
  };
}

/** The node of the field at `path`, following `properties`. */
export function propertyAt(schema: JsonSchema, path: readonly string[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const key of path) {
    const child: unknown = node?.properties?.[key];
    node = typeof child === 'object' && child !== null ? (child as JsonSchema) : undefined;
  }
  return node;
}

/** Every leaf field's dotted path (objects with properties are descended into, not listed). */
export function leafFieldPaths(schema: JsonSchema, prefix: readonly string[] = []): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    if (prefix.length === 0 && key === SCHEMA_KEY) return [];
    const node = child as JsonSchema;
    return node.type === 'object' && node.properties
      ? leafFieldPaths(node, [...prefix, key])
      : [[...prefix, key].join('.')];
  });
}

/** Private: the zod def fields read here (a default's value, a pipe's ends, a number's bounds). */
interface ReadDef {
  readonly type: string;
  readonly defaultValue?: unknown;
  readonly innerType?: z.core.$ZodType;
  readonly out?: z.core.$ZodType;
}

/**
 * Private: the config's numbers are `integer(min, max)` pipes (a number, or a decimal string from the
 * environment, checked after the transform). In input mode zod describes only the pipe's input side and
 * drops defaults of transforming schemas; put the bounds and the default back for editors.
 */
function describeParsedNumbers(zodSchema: z.core.$ZodType, jsonSchema: JsonSchema): void {
  const def = zodSchema._zod.def as ReadDef;
  if (def.type === 'default' && jsonSchema.default === undefined)
    jsonSchema.default = JSON.parse(JSON.stringify(def.defaultValue));
  let node: z.core.$ZodType | undefined = zodSchema;
  while (node && ['default', 'optional', 'prefault'].includes((node._zod.def as ReadDef).type))
    node = (node._zod.def as ReadDef).innerType;
  const output =
    node && (node._zod.def as ReadDef).type === 'pipe' ? (node._zod.def as ReadDef).out : undefined;
  if (!(output instanceof z.ZodNumber)) return;
  const branches = (jsonSchema.anyOf as JsonSchema[] | undefined) ?? [jsonSchema];
  for (const branch of branches) {
    const numeric =
      branch.type === 'number' || (Array.isArray(branch.type) && branch.type.includes('number'));
    if (!numeric) continue;
    if (output.isInt && branch.type === 'number') branch.type = 'integer';
    if (Number.isFinite(output.minValue)) branch.minimum = output.minValue as number;
    if (Number.isFinite(output.maxValue)) branch.maximum = output.maxValue as number;
  }
}
