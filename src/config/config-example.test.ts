// config.example.yaml stays loadable and complete, YAML and JSON load alike, and every field is documented in the schema.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildConfigJsonSchema, leafFieldPaths, propertyAt } from '../../scripts/config-json-schema.js';
import { loadConfig } from './load-config.js';

const EXAMPLE = join(import.meta.dirname, '../../config.example.yaml');
/** The secrets the example leaves to *_FILE variables, supplied here as the environment would. */
const SECRETS = { INVENTORY_API_TOKEN: 'example-inventory-token', CRM_API_KEY: 'example-crm-key' };

/** Fields the example shows only commented out, and why; each must still appear, as `# field:`. */
const COMMENTED_OUT: Record<string, string> = {
  'targets.inventory.token': 'a credential: INVENTORY_API_TOKEN_FILE',
  'targets.crm.apiKey': 'a credential: CRM_API_KEY_FILE',
  'redis.url': 'a credential (it may carry a password): REDIS_URL_FILE',
  'targets.inventory.caFile': 'read at start-up: needs a real PEM file',
  'targets.inventory.clientCertFile': 'read at start-up: needs a real PEM file',
  'targets.inventory.clientKeyFile': 'read at start-up: needs a real PEM file',
  'targets.crm.caFile': 'read at start-up: needs a real PEM file',
  'targets.crm.clientCertFile': 'read at start-up: needs a real PEM file',
  'targets.crm.clientKeyFile': 'read at start-up: needs a real PEM file',
  'trustedDocuments.manifest': 'read at start-up: needs a real manifest',
  'auth.jwt.publicKey': 'an alternative to jwksUrl: only one key source may be set',
  'auth.jwt.publicKeyFile': 'an alternative to jwksUrl: only one key source may be set',
};

const directory = mkdtempSync(join(tmpdir(), 'fanout-config-example-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function valueAt(tree: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
}

describe('config.example.yaml', () => {
  const text = readFileSync(EXAMPLE, 'utf8');

  it('names the JSON Schema for yaml-language-server on its first line', () => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/config.schema.json');
  });

  it('loads through loadConfig with the secrets it leaves to the environment', () => {
    const config = loadConfig({ FANOUT_CONFIG: EXAMPLE, ...SECRETS });
    expect(config.env).toBe('production');
    expect(config.targets.crm).toMatchObject({
      url: 'https://crm.internal.example',
      apiKey: 'example-crm-key',
    });
    expect(config.auth.apiKeys.map((key) => key.clientId)).toEqual(['storefront']);
  });

  it('shows every field of the schema, commented out only where COMMENTED_OUT says why', () => {
    const tree: unknown = parse(text);
    const missing = leafFieldPaths(buildConfigJsonSchema()).filter((path) => {
      if (path in COMMENTED_OUT) return !new RegExp(`^\\s*# ${path.split('.').at(-1)}:`, 'm').test(text);
      return valueAt(tree, path) === undefined;
    });
    expect(missing).toEqual([]);
    for (const path of Object.keys(COMMENTED_OUT)) expect(valueAt(tree, path)).toBeUndefined();
  });

  it('loads to the same Config as the same tree written as JSON', () => {
    const json = join(directory, 'config.json');
    writeFileSync(json, JSON.stringify({ $schema: './schema/config.schema.json', ...parse(text) }));
    const fromYaml = loadConfig({ FANOUT_CONFIG: EXAMPLE, ...SECRETS });
    const fromJson = loadConfig({ FANOUT_CONFIG: json, ...SECRETS });
    expect(fromJson).toEqual(fromYaml);
  });
});

describe('the config JSON Schema', () => {
  it('describes every field, so editors and docs/configuration.md can show its meaning', () => {
    const schema = buildConfigJsonSchema();
    const undescribed = leafFieldPaths(schema).filter(
      (path) => !propertyAt(schema, path.split('.'))?.description,
    );
    expect(undescribed).toEqual([]);
  });

  it('accepts a top-level $schema and refuses other unknown fields, at every level', () => {
    const schema = buildConfigJsonSchema();
    expect(propertyAt(schema, ['$schema'])).toMatchObject({ type: 'string' });
    expect(schema.additionalProperties).toBe(false);
    expect(propertyAt(schema, ['targets', 'crm'])?.additionalProperties).toBe(false);
    expect(propertyAt(schema, ['server'])?.additionalProperties).toBe(false);
  });
});
