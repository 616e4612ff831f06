// The start-up log line that says how callers authenticate — and, loudly, when they do not.
import { type AuthConfig, authModeName, type Config, redactUrlCredentials } from '../config/index.js';
import type { LogSink } from '../observability/index.js';
import type { CallerAuthenticator } from './create-caller-authenticator.js';

/**
 * Logs the mode once at start-up: which methods, how many API key clients, which issuer and audience.
 * Authentication off is a warning in production (only AUTH_MODE=none gets there) and information
 * elsewhere, where it is the default.
 */
export function logAuthenticationMode(
  authenticator: CallerAuthenticator,
  config: Pick<Config, 'env' | 'auth'>,
  logger: LogSink,
): void {
  const { methods } = authenticator;
  if (methods.length === 0) {
    const why = config.auth.mode ? 'AUTH_MODE=none' : 'no AUTH_MODE, API keys or JWT settings';
    const message = `authentication is OFF (${why}): any caller that reaches the port gets every scope, and the apollographql-client-name header names the client`;
    if (config.env === 'production') logger.warn({ authMode: 'none' }, message);
    else logger.info({ authMode: 'none' }, message);
    return;
  }
  logger.info(
    {
      authMode: authModeName(methods),
      ...(methods.includes('api-keys') ? { apiKeyClients: apiKeyClients(config.auth) } : {}),
      ...(methods.includes('jwt') ? { jwt: jwtSummary(config.auth.jwt) } : {}),
    },
    `authentication is on: ${authModeName(methods)}`,
  );
}

function apiKeyClients(auth: AuthConfig): string[] {
  return [...new Set(auth.apiKeys.map((key) => key.clientId))];
}

function jwtSummary(jwt: AuthConfig['jwt']): Record<string, unknown> {
  const keys =
    (jwt.jwksUrl && redactUrlCredentials(jwt.jwksUrl)) ??
    (jwt.publicKeyFile ? `file ${jwt.publicKeyFile.path}` : 'AUTH_JWT_PUBLIC_KEY');
  return {
    issuer: jwt.issuer,
    audience: jwt.audience,
    keys,
    algorithms: jwt.algorithms,
    clientClaim: jwt.clientClaim,
  };
}
