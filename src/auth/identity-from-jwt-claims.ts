// Maps a verified JWT's claims to the caller: the client id from the configured claim (then client_id, then sub), scopes from scope / scp.
import type { JWTPayload } from 'jose';
import type { CallerIdentity } from './caller-identity.js';

/** Claims tried, in order, after the configured one (`azp` by default). */
export const CLIENT_CLAIM_FALLBACKS = ['client_id', 'sub'] as const;

/** The claims that may name the client, the configured one first. */
export function clientClaimsInOrder(clientClaim: string): string[] {
  return [...new Set([clientClaim, ...CLIENT_CLAIM_FALLBACKS])];
}

/**
 * The caller a verified token names: the first non-empty string among the client claims, and the
 * scopes of `scope` (space-separated, OAuth 2.0) and `scp` (a string or an array, as Okta and Entra
 * send it). Undefined when no claim names a client.
 */
export function identityFromJwtClaims(claims: JWTPayload, clientClaim: string): CallerIdentity | undefined {
  const clientId = clientClaimsInOrder(clientClaim)
    .map((name) => claims[name])
    .find((value): value is string => typeof value === 'string' && value !== '');
  if (clientId === undefined) return undefined;
  return { clientId, scopes: new Set([...scopesOf(claims.scope), ...scopesOf(claims.scp)]), method: 'jwt' };
}

function scopesOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((scope): scope is string => typeof scope === 'string');
  return [];
}
