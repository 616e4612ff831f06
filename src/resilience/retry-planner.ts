// Decides, after each failed attempt, whether another attempt is allowed and how long to wait first.
import { type Deadline, type Failure, mayHaveArrived, remainingMs } from '../core/index.js';

export interface RetrySettings {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** First delay before jitter, doubled per retry. */
  readonly backoffInitialMs: number;
  /** Longest delay before jitter. */
  readonly backoffMaxMs: number;
}

/** The least time worth starting an attempt with; less than this and the deadline wins anyway. */
const MIN_ATTEMPT_MS = 10;

export interface RetryPlanner {
  /** Whether to try again after this failure (safe to resend, attempts left, and the wait fits the deadline). */
  shouldRetry(failure: Failure, attemptsMade: number): boolean;
  /** The wait planned by the last `shouldRetry` that said yes. */
  plannedDelayMs(): number;
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), replaced by the upstream's
 * Retry-After when it sent one. A wait that would not leave time for an attempt before the deadline
 * ends the retries at once, so the caller gets the real failure instead of a late timeout.
 *
 * A write is resent only when that cannot apply it twice: the failure is retryable and either the
 * call carries an idempotency key or the request provably never reached the upstream's handler
 * (refused connection, 429, 503). The classifiers already fold this into `retryable`; the planner
 * checks it again, so no classification slip can ever duplicate a keyless write.
 * @param idempotent whether the call carries an Idempotency-Key (for a batch: every item does)
 */
export function createRetryPlanner(
  settings: RetrySettings,
  deadline: Deadline,
  idempotent: boolean,
  random = Math.random,
): RetryPlanner {
  let planned = 0;
  return {
    shouldRetry(failure, attemptsMade) {
      if (!failure.retryable || attemptsMade >= settings.maxAttempts) return false;
      if (!idempotent && mayHaveArrived(failure)) return false;
      const retryAfterMs = 'retryAfterMs' in failure ? failure.retryAfterMs : undefined;
      const exponential = Math.min(
        settings.backoffMaxMs,
        settings.backoffInitialMs * 2 ** (attemptsMade - 1),
      );
      const delay = retryAfterMs ?? Math.round(exponential / 2 + random() * (exponential / 2));
      if (delay + MIN_ATTEMPT_MS > remainingMs(deadline)) return false;
      planned = delay;
      return true;
    },
    plannedDelayMs: () => planned,
  };
}
