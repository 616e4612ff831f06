// Which authentication methods are on: AUTH_MODE when set, else the methods the auth settings configure.
import type { AuthMethod } from './auth-config-fields.js';
import type { Config } from './config-schema.js';

export type AuthConfig = Config['auth'];

/** Whether a key source for JWT verification is configured (JWKS URL, PEM, or PEM file). */
export function jwtKeySourceCount(jwt: AuthConfig['jwt']): number {
  return [jwt.jwksUrl, jwt.publicKey, jwt.publicKeyFile].filter((source) => source !== undefined).length;
}

/**
 * The methods a caller may authenticate with: AUTH_MODE's when it is set (`none` is an empty list),
 * else every method that has settings (API keys, a JWT key source). Empty means authentication is off.
 */
export function authMethodsOf(auth: AuthConfig): readonly AuthMethod[] {
  if (auth.mode) return auth.mode;
  const methods: AuthMethod[] = [];
  if (auth.apiKeys.length > 0) methods.push('api-keys');
  if (jwtKeySourceCount(auth.jwt) > 0) methods.push('jwt');
  return methods;
}

/** The methods as AUTH_MODE spells them: `none`, `api-keys`, `jwt` or `api-keys,jwt`. */
export function authModeName(methods: readonly AuthMethod[]): string {
  return methods.length === 0 ? 'none' : methods.join(',');
}
