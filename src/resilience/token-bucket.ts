// A token bucket: the client-side rate limit per target (cockatiel has no rate limiter, so it is hand-written).
import { setTimeout as sleep } from 'node:timers/promises';
import { type Deadline, remainingMs } from '../core/index.js';

export interface RateLimiter {
  /**
   * Takes a token, waiting for one while the deadline allows and the wait is short.
   * @returns 0 when a token was taken, else the milliseconds until a token would be free (nothing was taken)
   */
  acquire(deadline: Deadline): Promise<number>;
}

/** A limiter that never waits, for targets without a rate limit. */
export const unlimited: RateLimiter = { acquire: async () => 0 };

/**
 * Refills `ratePerSecond` tokens a second up to `burst`; each attempt takes one. Waiters are served in
 * arrival order because each reserves its token (the count may go negative) before it sleeps. A wait
 * is refused at once when it would outlast the caller's deadline or the time the bucket takes to refill
 * (`burst / ratePerSecond` s): so no caller, however long its deadline, can book tokens far ahead and
 * starve everyone after it.
 */
export function createTokenBucket(
  ratePerSecond: number,
  burst: number,
  now: () => number = Date.now,
): RateLimiter {
  const capacity = Math.max(1, burst);
  const msPerToken = 1000 / ratePerSecond;
  const longestWaitMs = capacity * msPerToken;
  let tokens = capacity;
  let refilledAt = now();

  const refill = () => {
    const at = now();
    tokens = Math.min(capacity, tokens + (at - refilledAt) / msPerToken);
    refilledAt = at;
  };

  return {
    async acquire(deadline) {
      refill();
      const waitMs = tokens >= 1 ? 0 : Math.ceil((1 - tokens) * msPerToken);
      if (waitMs > Math.min(remainingMs(deadline, now()), longestWaitMs)) return waitMs;
      tokens -= 1;
      if (waitMs > 0) await sleep(waitMs);
      return 0;
    },
  };
}
