// One target's policy pipeline, outermost first: rate limit → bulkhead → circuit breaker → retry → attempt.
import {
  CircuitState as BreakerState,
  bulkhead,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhenResult,
  type IBackoff,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  isTaskCancelledError,
  retry,
} from 'cockatiel';
import {
  type Deadline,
  type Failure,
  failed,
  type Outcome,
  remainingMs,
  UnreachableCaseError,
} from '../upstream/index.js';
import { createRetryPlanner, type RetrySettings } from './retry-planner.js';
import { createTokenBucket, type RateLimiter, unlimited } from './token-bucket.js';

export interface PolicySettings extends RetrySettings {
  readonly breakerFailures: number;
  readonly breakerHalfOpenAfterMs: number;
  readonly bulkheadLimit: number;
  readonly bulkheadQueue: number;
  /** Requests per second; 0 turns the limit off. */
  readonly rateLimitRps: number;
  /** Token bucket size; 0 means rateLimitRps. */
  readonly rateLimitBurst: number;
}

export type CircuitState = 'CLOSED' | 'HALF_OPEN' | 'OPEN';

export interface TargetPolicy {
  /**
   * Runs one call through the pipeline. `attempt` makes one HTTP attempt and settles it (never throws);
   * the pipeline calls it again while the retry planner allows. Never rejects for upstream failures.
   */
  execute<T>(attempt: () => Promise<Outcome<T>>, deadline: Deadline): Promise<Outcome<T>>;
  circuitState(): CircuitState;
}

/** Failures that say the upstream is unhealthy; rejections, 429s and contract breaks do not open the circuit. */
function isBreakerFailure(result: unknown): boolean {
  const outcome = result as Outcome<unknown>;
  return !outcome.ok && (outcome.failure.kind === 'unavailable' || outcome.failure.kind === 'timeout');
}

/**
 * Builds the long-lived policies of one target (shared by every request) around cockatiel's bulkhead,
 * breaker and retry; the rate limiter is ours, since cockatiel has none.
 * @param label the target's name for messages, e.g. "CRM API"
 */
export function createTargetPolicy(label: string, settings: PolicySettings): TargetPolicy {
  const limiter: RateLimiter =
    settings.rateLimitRps > 0
      ? createTokenBucket(settings.rateLimitRps, settings.rateLimitBurst || settings.rateLimitRps)
      : unlimited;
  const bulkheadPolicy = bulkhead(settings.bulkheadLimit, settings.bulkheadQueue);
  const breaker = circuitBreaker(handleWhenResult(isBreakerFailure), {
    halfOpenAfter: settings.breakerHalfOpenAfterMs,
    breaker: new ConsecutiveBreaker(settings.breakerFailures),
  });
  let openedAt = 0;
  breaker.onBreak(() => {
    openedAt = Date.now();
  });

  const rejection = (error: unknown): Failure => {
    if (isBrokenCircuitError(error)) {
      const retryAfterMs = Math.max(0, settings.breakerHalfOpenAfterMs - (Date.now() - openedAt));
      return {
        kind: 'circuitOpen',
        message: `${label} circuit is open after repeated failures; nothing was sent`,
        retryable: true,
        attempts: 0,
        retryAfterMs,
      };
    }
    if (isBulkheadRejectedError(error)) {
      const limits = `${settings.bulkheadLimit} in flight, ${settings.bulkheadQueue} queued`;
      return {
        kind: 'unavailable',
        message: `${label} is at its concurrency limit (${limits}); nothing was sent`,
        retryable: true,
        attempts: 0,
        requestMayHaveArrived: false,
      };
    }
    if (isTaskCancelledError(error)) {
      return {
        kind: 'timeout',
        message: `${label} was not called: the deadline passed while waiting for a free slot`,
        retryable: true,
        attempts: 0,
        timeoutMs: 0,
      };
    }
    throw error;
  };

  return {
    async execute(attempt, deadline) {
      const waitMs = await limiter.acquire(deadline);
      if (waitMs > 0) {
        const message = `${label} calls are over the gateway's rate limit of ${settings.rateLimitRps}/s; nothing was sent`;
        return failed({ kind: 'rateLimited', message, retryable: true, attempts: 0, retryAfterMs: waitMs });
      }
      const planner = createRetryPlanner(settings, deadline);
      let attemptsMade = 0;
      const backoff: IBackoff<unknown> = {
        get duration() {
          return planner.plannedDelayMs();
        },
        next: () => backoff,
      };
      const retryPolicy = retry(
        handleWhenResult((result) => {
          const outcome = result as Outcome<unknown>;
          return !outcome.ok && planner.shouldRetry(outcome.failure, attemptsMade);
        }),
        // cockatiel counts retries, not attempts; the planner holds the real limit and the deadline.
        { maxAttempts: Math.max(0, settings.maxAttempts - 1), backoff },
      );
      const once = () => {
        attemptsMade++;
        return attempt();
      };
      try {
        return await bulkheadPolicy.execute(
          ({ signal }) => breaker.execute(({ signal: inner }) => retryPolicy.execute(once, inner), signal),
          // Only a call that will queue needs the deadline as a signal; timers cost ~6 µs each.
          bulkheadPolicy.executionSlots > 0 ? undefined : AbortSignal.timeout(remainingMs(deadline)),
        );
      } catch (error) {
        return failed(rejection(error));
      }
    },
    circuitState() {
      switch (breaker.state) {
        case BreakerState.Closed:
          return 'CLOSED';
        case BreakerState.HalfOpen:
          return 'HALF_OPEN';
        case BreakerState.Open:
        case BreakerState.Isolated:
          return 'OPEN';
        default:
          throw new UnreachableCaseError(breaker.state);
      }
    },
  };
}
