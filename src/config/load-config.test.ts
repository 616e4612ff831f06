// loadConfig: defaults, file + environment merging, and errors that name the variable and the expectation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function configFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fanout-config-')), 'config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loadConfig', () => {
  it('applies documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 4000,
      maxOrdersPerRequest: 1000,
      shutdownTimeoutMs: 10_000,
    });
    expect(config.targets.inventory).toEqual({
      timeoutMs: 1000,
      connections: 64,
      batchEnabled: true,
      maxBatchSize: 500,
      concurrency: 16,
      idempotencyKeys: true,
      maxAttempts: 3,
      backoffInitialMs: 100,
      backoffMaxMs: 1000,
      breakerFailures: 5,
      breakerHalfOpenAfterMs: 10_000,
      bulkheadLimit: 128,
      bulkheadQueue: 512,
      rateLimitRps: 0,
      rateLimitBurst: 0,
      maxResponseBytes: 1_048_576,
      maxBatchResponseBytes: 16_777_216,
    });
    expect(config.fanout.defaultDeadlineMs).toBe(2000);
    expect(config.idempotency).toEqual({ ttlSeconds: 86_400, maxEntries: 10_000, maxBytes: 67_108_864 });
    expect(config.redis).toEqual({ keyPrefix: 'fanout:', commandTimeoutMs: 500 });
  });

  it('reads targets from the environment, trimming a trailing slash from URLs', () => {
    const config = loadConfig({
      INVENTORY_API_URL: 'https://inventory.example/api/',
      INVENTORY_API_TOKEN: 't',
      CRM_API_URL: 'http://crm.example',
      CRM_API_KEY: 'k',
      CRM_BATCH_ENABLED: 'false',
      CRM_MAX_BATCH_SIZE: '100',
    });
    expect(config.targets.inventory.url).toBe('https://inventory.example/api');
    expect(config.targets.crm).toMatchObject({
      url: 'http://crm.example',
      apiKey: 'k',
      batchEnabled: false,
      maxBatchSize: 100,
    });
  });

  it('reads a JSON file from FANOUT_CONFIG and lets the environment override it', () => {
    const path = configFile({ server: { port: 5000 }, targets: { crm: { timeoutMs: 900, connections: 8 } } });
    const config = loadConfig({ FANOUT_CONFIG: path, CRM_TIMEOUT_MS: '1200' });
    expect(config.server.port).toBe(5000);
    expect(config.targets.crm).toMatchObject({ timeoutMs: 1200, connections: 8 });
  });

  it('names the environment variable, the expectation and the received value', () => {
    expect(
      problemsOf({ INVENTORY_CONNECTIONS: 'many', CRM_BATCH_ENABLED: 'yes', NODE_ENV: 'staging' }),
    ).toEqual([
      'NODE_ENV: expected development, production or test, got "staging"',
      'INVENTORY_CONNECTIONS: expected an integer from 1 to 4096, got "many"',
      'CRM_BATCH_ENABLED: expected true or false, got "yes"',
    ]);
  });

  it('names the file and field for bad or unknown fields in the config file', () => {
    const path = configFile({ targets: { inventory: { maxBatchSize: 501, timeout: 3 } } });
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
      `targets.inventory.maxBatchSize (in ${path}): expected an integer from 1 to 500, got 501`,
      `targets.inventory (in ${path}): unknown field(s) timeout`,
    ]);
  });

  it('reports a config file that is missing or not a JSON object', () => {
    expect(problemsOf({ FANOUT_CONFIG: '/nonexistent/fanout.json' })[0]).toMatch(
      /^FANOUT_CONFIG: cannot read \/nonexistent\/fanout.json/,
    );
    expect(problemsOf({ FANOUT_CONFIG: configFile('[1, 2]') })[0]).toMatch(/is not a JSON object/);
  });

  it('requires real upstream URLs in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'INVENTORY_API_URL: required when NODE_ENV=production (demo upstreams never start in production)',
      'CRM_API_URL: required when NODE_ENV=production (demo upstreams never start in production)',
    ]);
  });

  it('requires the credential of an upstream whose URL is set', () => {
    expect(problemsOf({ INVENTORY_API_URL: 'http://inventory.example' })).toEqual([
      'INVENTORY_API_TOKEN: required when INVENTORY_API_URL is set (the upstream authenticates every request)',
    ]);
  });

  it('refuses a target URL that carries user:password, without echoing the password', () => {
    const [problem] = problemsOf({ CRM_API_URL: 'https://user:S3CRET@crm.example', CRM_API_KEY: 'k' });
    expect(problem).toBe(
      'CRM_API_URL: expected a URL without user:password (set the credential in its own variable), got "https://[redacted]@crm.example"',
    );
  });

  it('reports a broken config file by position, never quoting its text', () => {
    const [problem] = problemsOf({
      FANOUT_CONFIG: configFile('{"targets": {"crm": {"apiKey": S3CRETKEY}}}'),
    });
    expect(problem).toMatch(/is not a JSON object: invalid JSON/);
    expect(problem).not.toContain('S3CRET');
  });

  it('never echoes a credential in an error', () => {
    const problems = problemsOf({ CRM_API_URL: 'ftp://crm.example', CRM_API_KEY: 'k' });
    expect(problems).toEqual(['CRM_API_URL: expected an http:// or https:// URL, got "ftp://crm.example"']);
    const path = configFile({ targets: { crm: { apiKey: 42 } } });
    const [problem] = problemsOf({ FANOUT_CONFIG: path });
    expect(problem).toMatch(/^targets\.crm\.apiKey/);
    expect(problem).not.toContain('42');
  });
});
