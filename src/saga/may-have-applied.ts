// Whether a write that failed for good may still be applied at its upstream, so the saga must resolve it before undoing.
import { type Failure, mayHaveArrived } from '../core/index.js';
import type { Delivery } from '../delivery/index.js';

/**
 * Whether a write that failed for good may still be applied: the request may have reached the upstream
 * (mayHaveArrived; the policy marks a final 503 after an earlier 500 or timeout of the same call so), or
 * an earlier delivery attempt did (e.g. a timeout, then 503s), or an earlier HTTP attempt of a call that
 * ended refused locally or with a 429. A rejection with the write's key proves it is not applied: an
 * upstream that had applied it would replay the success.
 */
export function mayHaveApplied(delivery: Pick<Delivery, 'attempts'>, failure: Failure): boolean {
  if (failure.kind === 'rejected') return false;
  const refusedAfterSending =
    (failure.kind === 'rateLimited' || failure.kind === 'circuitOpen') && failure.attempts > 1;
  return mayHaveArrived(failure) || delivery.attempts > 0 || refusedAfterSending;
}
