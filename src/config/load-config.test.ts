// loadConfig: defaults, file + environment merging, and errors that name the variable and the expectation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFile, problemsOf } from '../../test/support/config-problems.js';
import { createTestCertificates } from '../../test/support/test-certificates.js';
import { envVariables } from './env-variables.js';
import { loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('applies documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 4000,
      maxOrdersPerRequest: 1000,
      shutdownTimeoutMs: 10_000,
      subgraph: false,
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
      exposeUpstreamMessages: false,
    });
    expect(config.fanout.defaultDeadlineMs).toBe(2000);
    expect(config.idempotency).toEqual({ ttlSeconds: 86_400, maxEntries: 10_000, maxBytes: 67_108_864 });
    expect(config.redis).toEqual({ keyPrefix: 'fanout:', commandTimeoutMs: 500 });
  });

  it('limits each client to 6000 upstream writes per 60 s by default, and 0 turns the limit off', () => {
    expect(loadConfig({}).clientRateLimit).toEqual({ writes: 6000, windowSeconds: 60 });
    expect(
      loadConfig({ CLIENT_RATE_LIMIT_WRITES: '0', CLIENT_RATE_LIMIT_WINDOW_S: '1' }).clientRateLimit,
    ).toEqual({
      writes: 0,
      windowSeconds: 1,
    });
    expect(problemsOf({ CLIENT_RATE_LIMIT_WINDOW_S: '0' })).toEqual([
      'CLIENT_RATE_LIMIT_WINDOW_S: expected an integer from 1 to 86400, got 0',
    ]);
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
      `targets.inventory.timeout (in ${path}): unknown field — did you mean timeoutMs?`,
    ]);
  });

  it('reports a config file that is missing or not a JSON object', () => {
    expect(problemsOf({ FANOUT_CONFIG: '/nonexistent/fanout.json' })).toEqual([
      'FANOUT_CONFIG: /nonexistent/fanout.json: cannot read the file (ENOENT)',
    ]);
    const path = configFile('[1, 2]');
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
      `FANOUT_CONFIG: ${path}: the top level must be an object ({ ... }), got an array`,
    ]);
  });

  it('puts the operator listener on 127.0.0.1:9464 by default, and reads METRICS_* from the environment', () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true, host: '127.0.0.1', port: 9464 });
    const config = loadConfig({ METRICS_ENABLED: 'false', METRICS_HOST: '0.0.0.0', METRICS_PORT: '0' });
    expect(config.metrics).toEqual({ enabled: false, host: '0.0.0.0', port: 0 });
    expect(problemsOf({ METRICS_PORT: '70000' })).toEqual([
      'METRICS_PORT: expected an integer from 0 to 65535, got 70000',
    ]);
  });

  it('applies the documented operation and HTTP limits, and reads FANOUT_* limits from the environment', () => {
    expect(loadConfig({}).limits).toEqual({
      maxTokens: 1000,
      maxDepth: 8,
      maxAliases: 15,
      maxDirectives: 20,
      maxCost: 100_000,
    });
    expect(loadConfig({}).http).toEqual({
      bodyLimitBytes: 1_048_576,
      requestTimeoutMs: 30_000,
      connectionTimeoutMs: 630_000,
      keepAliveTimeoutMs: 72_000,
      corsOrigins: [],
    });
    const config = loadConfig({
      FANOUT_MAX_TOKENS: '2000',
      FANOUT_BODY_LIMIT_BYTES: '4096',
      FANOUT_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
    });
    expect(config.limits.maxTokens).toBe(2000);
    expect(config.http.bodyLimitBytes).toBe(4096);
    expect(config.http.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('accepts only exact browser origins in FANOUT_CORS_ORIGINS', () => {
    for (const origins of ['https://app.example.com/', 'app.example.com', 'https://App.example.com']) {
      expect(problemsOf({ FANOUT_CORS_ORIGINS: origins })[0]).toMatch(
        /^FANOUT_CORS_ORIGINS: expected browser origins such as https:\/\/app\.example\.com/,
      );
    }
    expect(loadConfig({ FANOUT_CORS_ORIGINS: '*' }).http.corsOrigins).toEqual(['*']);
  });

  it('requires real upstream URLs in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', AUTH_MODE: 'none' })).toEqual([
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
    expect(problem).toMatch(/: invalid JSON at line 1, column 32$/);
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

describe('loadConfig with secrets in files', () => {
  function secretFile(content: string): string {
    const path = join(mkdtempSync(join(tmpdir(), 'fanout-secret-')), 'secret');
    writeFileSync(path, content);
    return path;
  }

  it('reads a secret from the file its _FILE variable names, without the trailing newline', () => {
    const config = loadConfig({
      INVENTORY_API_URL: 'https://inventory.example',
      INVENTORY_API_TOKEN_FILE: secretFile('inv-token\n'),
      CRM_API_URL: 'https://crm.example',
      CRM_API_KEY_FILE: secretFile('crm key with spaces \r\n'),
      REDIS_URL_FILE: secretFile('redis://:pw@redis.example:6379'),
    });
    expect(config.targets.inventory.token).toBe('inv-token');
    expect(config.targets.crm.apiKey).toBe('crm key with spaces ');
    expect(config.redis.url).toBe('redis://:pw@redis.example:6379');
  });

  it('refuses every secret variable set both directly and through its _FILE twin', () => {
    const secrets = envVariables.filter((variable) => variable.secret);
    expect(secrets.map((variable) => variable.name)).toEqual(
      expect.arrayContaining(['INVENTORY_API_TOKEN', 'CRM_API_KEY', 'REDIS_URL']),
    );
    for (const { name } of secrets) {
      expect(problemsOf({ [name]: 'direct', [`${name}_FILE`]: secretFile('from-file') })).toEqual([
        `${name}_FILE: set together with ${name}; set only one of them`,
      ]);
    }
  });

  it('names the _FILE variable when its file cannot be read', () => {
    expect(problemsOf({ CRM_API_KEY_FILE: '/nonexistent/crm-key' })).toEqual([
      'CRM_API_KEY_FILE: cannot read /nonexistent/crm-key (ENOENT)',
    ]);
  });

  it('names the _FILE variable for a bad value, never echoing the file’s content', () => {
    const problems = problemsOf({
      INVENTORY_API_URL: 'https://inventory.example',
      INVENTORY_API_TOKEN_FILE: secretFile('\n'),
      REDIS_URL_FILE: secretFile('http://user:S3CRET@redis.example\n'),
    });
    expect(problems).toEqual([
      'INVENTORY_API_TOKEN_FILE: expected a non-empty string',
      'REDIS_URL_FILE: expected a redis:// or rediss:// URL',
    ]);
  });
});

describe('loadConfig with TLS files', () => {
  const certs = createTestCertificates();
  afterAll(() => certs.remove());
  const https = { INVENTORY_API_URL: 'https://127.0.0.1:8443', INVENTORY_API_TOKEN: 't' };

  it('reads the CA and client certificate files once, and prints only their paths', () => {
    const config = loadConfig({
      ...https,
      INVENTORY_CA_FILE: certs.caFile,
      INVENTORY_CLIENT_CERT_FILE: certs.clientCertFile,
      INVENTORY_CLIENT_KEY_FILE: certs.clientKeyFile,
    });
    const { caFile, clientCertFile, clientKeyFile } = config.targets.inventory;
    expect(caFile?.pem).toBe(certs.ca);
    expect(clientCertFile?.pem).toContain('-----BEGIN CERTIFICATE-----');
    expect(clientKeyFile?.pem).toContain('PRIVATE KEY-----');
    expect(JSON.stringify(config.targets.inventory)).toContain(`"clientKeyFile":"${certs.clientKeyFile}"`);
    expect(JSON.stringify(config)).not.toContain('PRIVATE KEY');
  });

  it('names the variable of a TLS file that is missing or holds the wrong PEM block, never its content', () => {
    const problems = problemsOf({
      ...https,
      INVENTORY_CA_FILE: '/nonexistent/ca.pem',
      INVENTORY_CLIENT_CERT_FILE: certs.clientKeyFile,
      INVENTORY_CLIENT_KEY_FILE: certs.clientKeyFile,
    });
    expect(problems).toEqual([
      'INVENTORY_CA_FILE: cannot read the file (ENOENT), got "/nonexistent/ca.pem"',
      `INVENTORY_CLIENT_CERT_FILE: expected a PEM file with a CERTIFICATE block, got "${certs.clientKeyFile}"`,
    ]);
  });

  it('requires the client certificate and key together, an https:// URL, and a matching key', () => {
    expect(problemsOf({ ...https, INVENTORY_CLIENT_CERT_FILE: certs.clientCertFile })).toEqual([
      'INVENTORY_CLIENT_KEY_FILE: required when INVENTORY_CLIENT_CERT_FILE is set (mutual TLS needs both)',
    ]);
    expect(
      problemsOf({ CRM_API_URL: 'http://crm.example', CRM_API_KEY: 'k', CRM_CA_FILE: certs.caFile }),
    ).toEqual(['CRM_CA_FILE: set, but CRM_API_URL is not an https:// URL (the file would go unused)']);
    const [mismatch] = problemsOf({
      ...https,
      INVENTORY_CLIENT_CERT_FILE: certs.clientCertFile,
      INVENTORY_CLIENT_KEY_FILE: certs.serverKeyFile,
    });
    expect(mismatch).toMatch(
      /^INVENTORY_CLIENT_CERT_FILE, INVENTORY_CLIENT_KEY_FILE: OpenSSL cannot use these files \(.*key values mismatch\)$/,
    );
    expect(mismatch).not.toContain('PRIVATE KEY');
  });
});
