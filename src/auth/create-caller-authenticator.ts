// Authenticates a request's headers by the configured mode: API keys, JWTs, both, or none (every caller trusted).
import type { IncomingHttpHeaders } from 'node:http';
import { type AuthConfig, type AuthMethod, authMethodsOf, ConfigError } from '../config/index.js';
import { type ApiKeyVerifier, createApiKeyVerifier } from './api-key-verifier.js';
import { type AuthenticationResult, invalidCredentials } from './authentication-result.js';
import type { CallerIdentity } from './caller-identity.js';
import { ALL_GATEWAY_SCOPES, isGatewayScope } from './gateway-scopes.js';
import { createJwtVerifier, type JwtVerifier } from './jwt-verifier.js';
import { isJwtShaped, readCredential } from './read-credential.js';

/** The header clients name themselves with: the client id when authentication is off, a display name when on. */
export const CLIENT_NAME_HEADER = 'apollographql-client-name';

export interface CallerAuthenticator {
  /** The methods on; empty when authentication is off. */
  readonly methods: readonly AuthMethod[];
  /** Never throws: a failure is a value the HTTP layer answers with 401 or 503. */
  authenticate(headers: IncomingHttpHeaders): Promise<AuthenticationResult>;
}

/**
 * Builds the authenticator from the validated auth settings.
 * @throws ConfigError when an API key grants a scope the gateway does not know (a typo would deny silently)
 */
export function createCallerAuthenticator(auth: AuthConfig): CallerAuthenticator {
  const methods = authMethodsOf(auth);
  if (methods.length === 0) return { methods, authenticate: async (headers) => anonymousCaller(headers) };
  const unknownScopes = auth.apiKeys.flatMap((key) =>
    key.scopes.filter((scope) => !isGatewayScope(scope)).map((scope) => `"${scope}" (${key.clientId})`),
  );
  if (unknownScopes.length > 0) {
    const known = [...ALL_GATEWAY_SCOPES].join(', ');
    throw new ConfigError([`AUTH_API_KEYS: unknown scope(s) ${unknownScopes.join(', ')}; known: ${known}`]);
  }
  const apiKeys = methods.includes('api-keys') ? createApiKeyVerifier(auth.apiKeys) : undefined;
  const jwt = methods.includes('jwt') ? createJwtVerifier(auth.jwt) : undefined;
  return { methods, authenticate: async (headers) => authenticateCredential(headers, apiKeys, jwt) };
}

/** Private: with authentication off, the caller is who it says it is and may do everything. */
function anonymousCaller(headers: IncomingHttpHeaders): AuthenticationResult {
  const name = headers[CLIENT_NAME_HEADER];
  const clientId = (Array.isArray(name) ? name[0] : name) || 'anonymous';
  const identity: CallerIdentity = { clientId, scopes: ALL_GATEWAY_SCOPES, method: 'none' };
  return { ok: true, identity };
}

/**
 * Private: X-API-Key is always an API key; a bearer is a JWT when JWTs are on and it has a JWT's shape
 * (or API keys are off), else an API key.
 */
async function authenticateCredential(
  headers: IncomingHttpHeaders,
  apiKeys: ApiKeyVerifier | undefined,
  jwt: JwtVerifier | undefined,
): Promise<AuthenticationResult> {
  const credential = readCredential(headers);
  switch (credential.kind) {
    case 'none':
      return invalidCredentials('no credential was sent');
    case 'malformed':
      return invalidCredentials(credential.reason, { bearerError: 'invalid_request' });
    case 'bearer':
      if (jwt && (isJwtShaped(credential.token) || !apiKeys)) return jwt(credential.token);
      return checkApiKey(apiKeys, credential.token, 'a bearer API key');
    case 'api-key':
      return checkApiKey(apiKeys, credential.key, 'X-API-Key');
  }
}

function checkApiKey(apiKeys: ApiKeyVerifier | undefined, key: string, sentAs: string): AuthenticationResult {
  if (!apiKeys) return invalidCredentials(`${sentAs} was sent, but API keys are off`);
  const identity = apiKeys(key);
  if (identity) return { ok: true, identity };
  return invalidCredentials(`${sentAs} matches no configured key`, { bearerError: 'invalid_token' });
}
