// Turns what jose threw into a 401 the caller may read (expired, wrong issuer or audience) or a 503 (keys unreachable).
import { errors } from 'jose';
import type { AuthenticationFailure } from './authentication-result.js';

/**
 * Claim failures are named to the caller — expired, not yet valid, wrong issuer or audience, a
 * disallowed algorithm — as every OAuth resource server does: they say nothing about the gateway's
 * keys. Signature, key id and format failures are all just "invalid token". A JWKS that cannot be
 * fetched (timeout, network, non-200, not a key set) is `unavailable`: the token may well be valid.
 */
export function classifyJwtFailure(error: unknown): AuthenticationFailure {
  if (error instanceof errors.JWTExpired) return invalidToken('invalid token: expired', error.code);
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalidToken(`invalid token: ${claimProblem(error.claim, error.reason)}`, error.message);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return invalidToken('invalid token: signing algorithm not accepted', error.message);
  }
  if (isKeySetUnreachable(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'unavailable',
      message: 'cannot verify the token now: the signing keys are unreachable',
      reason,
    };
  }
  return invalidToken('invalid token', error instanceof errors.JOSEError ? error.code : String(error));
}

function invalidToken(message: string, reason: string): AuthenticationFailure {
  return { kind: 'invalid', message, reason: `JWT rejected: ${reason}`, bearerError: 'invalid_token' };
}

function claimProblem(claim: string, reason: string): string {
  if (claim === 'iss') return 'issuer not accepted';
  if (claim === 'aud') return 'audience not accepted';
  if (claim === 'nbf') return 'not yet valid';
  if (reason === 'missing') return `the ${claim} claim is missing`;
  return `the ${claim} claim is not acceptable`;
}

/**
 * Private: jose's remote key set throws JWKSTimeout, a generic JOSEError (non-200 or not JSON),
 * JWKSInvalid (not a key set), or fetch's own TypeError (refused, DNS, TLS).
 */
function isKeySetUnreachable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC';
  return error instanceof TypeError;
}
