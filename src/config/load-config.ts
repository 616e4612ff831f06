// Builds the one validated Config from an optional YAML or JSON file (FANOUT_CONFIG) overlaid with the environment.
import type { z } from 'zod';
import { authConfigProblems } from './auth-config-problems.js';
import { ConfigError } from './config-error.js';
import { type Config, configSchema } from './config-schema.js';
import { envVariables } from './env-variables.js';
import { readConfigFile } from './read-config-file.js';
import { fileVariableName, readSecretFiles } from './read-secret-files.js';
import { redactUrlCredentials } from './redact-url-credentials.js';
import { targetConfigProblems } from './target-config-problems.js';
import { tlsProblems } from './tls-problems.js';
import { unknownFieldProblems } from './unknown-field-problems.js';

type Environment = Readonly<Record<string, string | undefined>>;
type RawTree = Record<string, unknown>;

/**
 * Reads, merges and validates the configuration: the file FANOUT_CONFIG names (YAML or JSON, see
 * readConfigFile), then the environment, which wins over the file.
 * @throws ConfigError naming each bad variable (or file field) and what it expects.
 */
export function loadConfig(env: Environment = process.env): Config {
  const filePath = env.FANOUT_CONFIG;
  const raw: RawTree = filePath ? readConfigFile(filePath) : {};
  const sources = new Map<string, string>();
  const secretFiles = readSecretFiles(env, envVariables);
  if (secretFiles.problems.length > 0) throw new ConfigError(secretFiles.problems);
  for (const variable of envVariables) {
    const fromFile = secretFiles.values.get(variable.name);
    const value = fromFile ?? env[variable.name];
    if (value === undefined || (value === '' && fromFile === undefined)) continue;
    setPath(raw, variable.path, value);
    sources.set(
      variable.path.join('.'),
      fromFile === undefined ? variable.name : fileVariableName(variable.name),
    );
  }
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.flatMap((issue) => describeIssue(issue, sources, filePath)));
  }
  const problems = [
    ...targetConfigProblems(parsed.data, variableFor, (path) => sourceName(path, sources, filePath)),
    ...tlsProblems(parsed.data, (path) => sources.get(path) ?? variableFor(path)),
    ...authConfigProblems(parsed.data, (path) => sources.get(path) ?? variableFor(path)),
    ...(parsed.data.delivery.queue !== 'sqlite' && parsed.data.redis.url === undefined
      ? [
          `${variableFor('redis.url')}: required when ${variableFor('delivery.queue')}=${parsed.data.delivery.queue} (the deliveries are kept in Redis)`,
        ]
      : []),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

function setPath(tree: RawTree, path: readonly string[], value: string): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    if (typeof child !== 'object' || child === null) node[key] = {};
    node = node[key] as RawTree;
  }
  node[path[path.length - 1] as string] = value;
}

/** Private: names the variable that set the field when one did, else the field's place in the file. */
function sourceName(path: string, sources: Map<string, string>, filePath: string | undefined): string {
  const variable = sources.get(path);
  if (variable) return variable;
  return filePath ? `${path} (in ${filePath})` : path;
}

function describeIssue(issue: z.core.$ZodIssue, sources: Map<string, string>, filePath?: string): string[] {
  const path = issue.path.map(String).join('.');
  const where = sourceName(path, sources, filePath);
  if (issue.code === 'unrecognized_keys')
    return unknownFieldProblems(configSchema, issue.path, issue.keys, (field) =>
      sourceName(field, sources, filePath),
    );
  const isSecret = envVariables.some(
    ({ secret, path: secretPath }) => secret && `${path}.`.startsWith(`${secretPath.join('.')}.`),
  );
  const received =
    issue.input !== undefined && !isSecret
      ? `, got ${redactUrlCredentials(JSON.stringify(issue.input))}`
      : '';
  return [`${where || 'config'}: ${issue.message}${received}`];
}

function variableFor(path: string): string {
  return envVariables.find((variable) => variable.path.join('.') === path)?.name ?? path;
}
