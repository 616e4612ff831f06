// The lastFailure both queue implementations record when a delivery's lease expires (one counted attempt).

/**
 * Recorded as `lastFailure` when a lease expires: the worker (or the saga that claimed it at creation)
 * stopped mid-attempt, so the write may have reached the upstream. The expiry counts as one attempt.
 */
export const LEASE_EXPIRED_FAILURE =
  'lease expired: its worker stopped during the attempt (the upstream may have applied it; a resend carries the same key)';
