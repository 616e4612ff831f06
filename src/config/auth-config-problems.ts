// Rules of the `auth` section that span fields: secure by default in production, and no setting left unused.

import { authMethodsOf, authModeName, jwtKeySourceCount } from './auth-methods.js';
import type { Config } from './config-schema.js';

const JWT_KEY_SOURCES = 'AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY or AUTH_JWT_PUBLIC_KEY_FILE';

/**
 * Production refuses to start without an authentication decision (methods configured, or AUTH_MODE=none);
 * each method needs its settings; settings a mode leaves off are a mistake, not a default.
 * @param nameOf the environment variable that sets a config path, for the messages
 */
export function authConfigProblems(config: Config, nameOf: (path: string) => string): string[] {
  const { auth } = config;
  const methods = authMethodsOf(auth);
  const mode = `${nameOf('auth.mode')}=${authModeName(methods)}`;
  const problems: string[] = [];
  if (config.env === 'production' && auth.mode === undefined && methods.length === 0) {
    problems.push(
      `${nameOf('auth.mode')}: required when NODE_ENV=production (configure api-keys and/or jwt, or set none to let any caller in)`,
    );
  }
  if (methods.includes('api-keys')) {
    if (auth.apiKeys.length === 0) problems.push(`${nameOf('auth.apiKeys')}: required with ${mode}`);
    problems.push(...duplicateKeyProblems(auth.apiKeys, nameOf('auth.apiKeys')));
  } else if (auth.apiKeys.length > 0) {
    problems.push(
      `${nameOf('auth.apiKeys')}: set, but ${mode} leaves API keys off (the keys would go unused)`,
    );
  }
  const sources = jwtKeySourceCount(auth.jwt);
  if (methods.includes('jwt')) {
    if (sources === 0) problems.push(`${JWT_KEY_SOURCES}: one is required with ${mode}`);
    if (sources > 1) problems.push(`${JWT_KEY_SOURCES}: set only one of them`);
    const why = 'tokens are only accepted for one issuer and audience';
    if (!auth.jwt.issuer)
      problems.push(`${nameOf('auth.jwt.issuer')}: required for JWT authentication (${why})`);
    if (!auth.jwt.audience)
      problems.push(`${nameOf('auth.jwt.audience')}: required for JWT authentication (${why})`);
    const url = auth.jwt.jwksUrl;
    if (config.env === 'production' && url && isPlainHttpOffLoopback(url)) {
      problems.push(
        `${nameOf('auth.jwt.jwksUrl')}: expected https:// in production (keys fetched over plain HTTP could be swapped in transit), got "${url}"`,
      );
    }
  } else if (sources > 0) {
    problems.push(`${JWT_KEY_SOURCES}: set, but ${mode} leaves jwt off (the key would go unused)`);
  }
  return problems;
}

/** Private: one key must identify one client, or the compare would pick whichever comes first. */
function duplicateKeyProblems(keys: Config['auth']['apiKeys'], name: string): string[] {
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const { clientId, keySha256 } of keys) {
    const owner = owners.get(keySha256);
    if (owner !== undefined) problems.push(`${name}: clients "${owner}" and "${clientId}" share one key`);
    else owners.set(keySha256, clientId);
  }
  return problems;
}

function isPlainHttpOffLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && !/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(hostname);
}
