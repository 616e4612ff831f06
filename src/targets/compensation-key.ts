// The Idempotency-Key of a compensation, derived from the key its write carried.
import { createHash } from 'node:crypto';

/**
 * The key sent with the compensation of a write: derived from the write's own upstream key only, so the
 * saga's call inside the request, every queued attempt and every replay send the same one, and a resent
 * restore is applied once by an upstream that honours keys. Hashing keeps it within the contracts' 255
 * characters whatever the write's key was, and distinct from that key (a key reused with another body is
 * refused with 422 `idempotency_key_reused`).
 */
export function compensationIdempotencyKey(writeUpstreamKey: string): string {
  return `fgw_undo_${createHash('sha256').update(`${writeUpstreamKey}:undo`).digest('base64url')}`;
}
