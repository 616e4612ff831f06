// How a key and a request become store keys and fingerprints: hashed, so no client data is stored raw.
import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';

/**
 * The store key of a client's idempotency key (keys are scoped per client). JSON keeps the parts apart
 * and writes any lone surrogate as an escape, so distinct keys never hash alike.
 */
export function idempotencyStoreKey(client: string, key: string): string {
  return digest(JSON.stringify([client, key]));
}

/** A request's fingerprint: sorted keys, so the same request always has the same one, whatever its field order. */
export function requestFingerprint(request: unknown): string {
  return digest(stringify(request) ?? 'null');
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
