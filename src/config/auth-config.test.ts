// The auth section of loadConfig: both forms of API keys, the mode and its inference, and the rules that span fields.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFile, problemsOf } from '../../test/support/config-problems.js';
import { authMethodsOf } from './auth-methods.js';
import { loadConfig } from './load-config.js';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'B'.repeat(64);
const PRODUCTION = {
  NODE_ENV: 'production',
  INVENTORY_API_URL: 'https://inventory.example',
  INVENTORY_API_TOKEN: 't',
  CRM_API_URL: 'https://crm.example',
  CRM_API_KEY: 'k',
};
const JWT = {
  AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
  AUTH_JWT_ISSUER: 'https://idp.example/',
  AUTH_JWT_AUDIENCE: 'fanout-gateway',
};

describe('auth configuration', () => {
  it('turns authentication off by default outside production', () => {
    const config = loadConfig({});
    expect(config.auth.mode).toBeUndefined();
    expect(authMethodsOf(config.auth)).toEqual([]);
    expect(config.auth.jwt).toEqual({
      algorithms: ['RS256', 'ES256'],
      clientClaim: 'azp',
      clockToleranceSeconds: 5,
      jwksCooldownMs: 30_000,
      jwksTimeoutMs: 2000,
    });
  });

  it('reads API keys from the environment as clientId:sha256:scopes entries, hashes lower-cased', () => {
    const config = loadConfig({
      AUTH_API_KEYS: `shop:${HASH_A}:orders:write,targets:read; ops:${HASH_B}:targets:read\nbare:${'c'.repeat(64)}`,
    });
    expect(config.auth.apiKeys).toEqual([
      { clientId: 'shop', keySha256: HASH_A, scopes: ['orders:write', 'targets:read'] },
      { clientId: 'ops', keySha256: HASH_B.toLowerCase(), scopes: ['targets:read'] },
      { clientId: 'bare', keySha256: 'c'.repeat(64), scopes: [] },
    ]);
    expect(authMethodsOf(config.auth)).toEqual(['api-keys']);
  });

  it('reads API keys from the config file as a list of objects', () => {
    const path = configFile({
      auth: { apiKeys: [{ clientId: 'shop', keySha256: HASH_A, scopes: ['orders:write'] }] },
    });
    expect(loadConfig({ FANOUT_CONFIG: path }).auth.apiKeys).toEqual([
      { clientId: 'shop', keySha256: HASH_A, scopes: ['orders:write'] },
    ]);
  });

  it('reads API keys from the file AUTH_API_KEYS_FILE names (a mounted secret), one entry per line', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fanout-auth-keys-')), 'api-keys');
    writeFileSync(path, `shop:${HASH_A}:orders:write\nops:${HASH_B}:targets:read\n`);
    expect(loadConfig({ AUTH_API_KEYS_FILE: path }).auth.apiKeys.map((key) => key.clientId)).toEqual([
      'shop',
      'ops',
    ]);
  });

  it('never echoes what was configured where a key hash belongs (it may be the key itself)', () => {
    const [fromEnv] = problemsOf({ AUTH_API_KEYS: 'shop:S3CRET-KEY:orders:write' });
    expect(fromEnv).toMatch(/^AUTH_API_KEYS: expected clientId:sha256hex/);
    expect(fromEnv).not.toContain('S3CRET');
    const path = configFile({ auth: { apiKeys: [{ clientId: 'shop', keySha256: 'S3CRET-KEY' }] } });
    const [fromFile] = problemsOf({ FANOUT_CONFIG: path });
    expect(fromFile).toMatch(/^auth\.apiKeys\.0\.keySha256 \(in .*\): expected the key's SHA-256/);
    expect(fromFile).not.toContain('S3CRET');
  });

  it('infers the mode from what is configured, and lets AUTH_MODE=none turn it off explicitly', () => {
    expect(authMethodsOf(loadConfig({ ...JWT }).auth)).toEqual(['jwt']);
    expect(authMethodsOf(loadConfig({ ...JWT, AUTH_API_KEYS: `a:${HASH_A}` }).auth)).toEqual([
      'api-keys',
      'jwt',
    ]);
    const off = loadConfig({ ...PRODUCTION, AUTH_MODE: 'none' });
    expect([off.auth.mode, authMethodsOf(off.auth)]).toEqual([[], []]);
    expect(
      loadConfig({ ...JWT, AUTH_MODE: ' jwt , api-keys ', AUTH_API_KEYS: `a:${HASH_A}` }).auth.mode,
    ).toEqual(['jwt', 'api-keys']);
  });

  it('refuses to start in production without an authentication decision, naming AUTH_MODE', () => {
    expect(problemsOf(PRODUCTION)).toEqual([
      'AUTH_MODE: required when NODE_ENV=production (configure api-keys and/or jwt, or set none to let any caller in)',
    ]);
    expect(() => loadConfig({ ...PRODUCTION, ...JWT })).not.toThrow();
  });

  it('requires each method’s settings, and refuses settings the mode leaves unused', () => {
    expect(problemsOf({ AUTH_MODE: 'api-keys,jwt' })).toEqual([
      'AUTH_API_KEYS: required with AUTH_MODE=api-keys,jwt',
      'AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY or AUTH_JWT_PUBLIC_KEY_FILE: one is required with AUTH_MODE=api-keys,jwt',
      'AUTH_JWT_ISSUER: required for JWT authentication (tokens are only accepted for one issuer and audience)',
      'AUTH_JWT_AUDIENCE: required for JWT authentication (tokens are only accepted for one issuer and audience)',
    ]);
    expect(problemsOf({ ...JWT, AUTH_MODE: 'none', AUTH_API_KEYS: `a:${HASH_A}` })).toEqual([
      'AUTH_API_KEYS: set, but AUTH_MODE=none leaves API keys off (the keys would go unused)',
      'AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY or AUTH_JWT_PUBLIC_KEY_FILE: set, but AUTH_MODE=none leaves jwt off (the key would go unused)',
    ]);
  });

  it('refuses a bad mode, a symmetric algorithm, a shared key and a plain-HTTP JWKS in production', () => {
    expect(problemsOf({ AUTH_MODE: 'oauth' })).toEqual([
      'AUTH_MODE: expected none, api-keys, jwt or api-keys,jwt, got "oauth"',
    ]);
    expect(problemsOf({ ...JWT, AUTH_JWT_ALGORITHMS: 'RS256,HS256' })[0]).toMatch(
      /^AUTH_JWT_ALGORITHMS: expected a comma-separated list of RS256, .*, got "RS256,HS256"$/,
    );
    expect(problemsOf({ AUTH_API_KEYS: `web:${HASH_A};ios:${HASH_A}` })).toEqual([
      'AUTH_API_KEYS: clients "web" and "ios" share one key',
    ]);
    expect(problemsOf({ ...PRODUCTION, ...JWT, AUTH_JWKS_URL: 'http://idp.example/jwks' })).toEqual([
      'AUTH_JWKS_URL: expected https:// in production (keys fetched over plain HTTP could be swapped in transit), got "http://idp.example/jwks"',
    ]);
    expect(() =>
      loadConfig({ ...PRODUCTION, ...JWT, AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' }),
    ).not.toThrow();
  });

  it('checks a static public key at start-up and refuses a private one', () => {
    const jwt = { AUTH_JWT_ISSUER: 'i', AUTH_JWT_AUDIENCE: 'a' };
    expect(problemsOf({ ...jwt, AUTH_JWT_PUBLIC_KEY: 'not a key' })).toEqual([
      'AUTH_JWT_PUBLIC_KEY: expected a PEM public key (-----BEGIN PUBLIC KEY-----)',
    ]);
    const privateKey =
      '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----';
    expect(problemsOf({ ...jwt, AUTH_JWT_PUBLIC_KEY: privateKey })[0]).toMatch(
      /^AUTH_JWT_PUBLIC_KEY: expected a PEM/,
    );
    expect(problemsOf({ ...jwt, AUTH_JWT_PUBLIC_KEY_FILE: '/nonexistent/key.pem' })).toEqual([
      'AUTH_JWT_PUBLIC_KEY_FILE: cannot read the file (ENOENT), got "/nonexistent/key.pem"',
    ]);
    const publicKey =
      '-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\\n-----END PUBLIC KEY-----';
    expect(loadConfig({ ...jwt, AUTH_JWT_PUBLIC_KEY: publicKey }).auth.jwt.publicKey).toContain(
      '\nMCowBQYDK2Vw',
    );
  });
});
