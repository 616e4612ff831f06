// Finds the credential a request presents: `Authorization: Bearer <token or key>` or `X-API-Key: <key>`, never both.
import type { IncomingHttpHeaders } from 'node:http';

export type PresentedCredential =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'api-key'; readonly key: string }
  /** Sent, but not in a form the gateway accepts; `reason` is for the log. */
  | { readonly kind: 'malformed'; readonly reason: string };

/** A compact JWS: three base64url parts, the signature non-empty (an unsigned `alg: none` token is not one). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Reads the request's one credential. Two different credentials are refused rather than one picked. */
export function readCredential(headers: IncomingHttpHeaders): PresentedCredential {
  const authorization = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (authorization !== undefined && apiKey !== undefined) {
    return { kind: 'malformed', reason: 'both Authorization and X-API-Key were sent' };
  }
  if (authorization !== undefined) {
    const token = /^Bearer +(\S+) *$/i.exec(authorization)?.[1];
    return token
      ? { kind: 'bearer', token }
      : { kind: 'malformed', reason: 'Authorization is not "Bearer <credential>"' };
  }
  if (apiKey === undefined) return { kind: 'none' };
  if (Array.isArray(apiKey)) return { kind: 'malformed', reason: 'X-API-Key was sent more than once' };
  return apiKey === ''
    ? { kind: 'malformed', reason: 'X-API-Key is empty' }
    : { kind: 'api-key', key: apiKey };
}

/** Whether a bearer credential has the shape of a JWT (else, with API keys on, it is tried as a key). */
export function isJwtShaped(token: string): boolean {
  return JWT_SHAPE.test(token);
}
