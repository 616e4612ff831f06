// The outcome of authenticating one request: the caller's identity, or a failure the HTTP layer answers.
import type { CallerIdentity } from './caller-identity.js';

export type AuthenticationResult =
  | { readonly ok: true; readonly identity: CallerIdentity }
  | { readonly ok: false; readonly failure: AuthenticationFailure };

export interface AuthenticationFailure {
  /** `invalid`: no or bad credentials (401). `unavailable`: the signing keys cannot be fetched (503). */
  readonly kind: 'invalid' | 'unavailable';
  /** Sent to the caller: never says whether a key or client exists. */
  readonly message: string;
  /** Logged only: what exactly failed (never the credential). */
  readonly reason: string;
  /** RFC 6750 `error` for WWW-Authenticate; absent when no credential was sent. */
  readonly bearerError?: 'invalid_request' | 'invalid_token';
}

/** The message for every failure that could otherwise tell a guessed key from a revoked one. */
export const INVALID_CREDENTIALS = 'missing or invalid credentials';

/** A 401 failure. */
export function invalidCredentials(
  reason: string,
  options: { message?: string; bearerError?: AuthenticationFailure['bearerError'] } = {},
): AuthenticationResult {
  const message = options.message ?? INVALID_CREDENTIALS;
  const bearerError = options.bearerError ? { bearerError: options.bearerError } : {};
  return { ok: false, failure: { kind: 'invalid', message, reason, ...bearerError } };
}
