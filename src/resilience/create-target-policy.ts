// One target's policy pipeline: circuit breaker → retry loop → per attempt: rate limit → bulkhead → attempt.
import { handleWhenResult, type IBackoff, retry } from 'cockatiel';
import {
  type Deadline,
  type Failure,
  failed,
  mayHaveArrived,
  type Outcome,
  remainingMs,
  UnreachableCaseError,
} from '../core/index.js';
import { type BreakerVerdict, CircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { createDeadlineBulkhead, type SlotRefusal } from './deadline-bulkhead.js';
import { createRetryPlanner, type RetrySettings } from './retry-planner.js';
import { createTokenBucket, type RateLimiter, unlimited } from './token-bucket.js';

export interface PolicySettings extends RetrySettings {
  /** Consecutive failed calls (judged after their retries) that open the circuit. */
  readonly breakerFailures: number;
  readonly breakerHalfOpenAfterMs: number;
  readonly bulkheadLimit: number;
  readonly bulkheadQueue: number;
  /** Attempts per second; 0 turns the limit off. */
  readonly rateLimitRps: number;
  /** Token bucket size; 0 means rateLimitRps. */
  readonly rateLimitBurst: number;
}

/** What the pipeline needs to know about one call. */
export interface CallPolicyOptions {
  readonly deadline: Deadline;
  /** Whether the call carries an Idempotency-Key (every item, for a batch), so resending cannot duplicate it. */
  readonly idempotent: boolean;
}

export interface TargetPolicy {
  /**
   * Runs one call through the pipeline. `attempt` makes one HTTP attempt and settles it (never throws);
   * the pipeline calls it again while the retry planner allows. Never rejects for upstream failures.
   */
  execute<T>(attempt: () => Promise<Outcome<T>>, options: CallPolicyOptions): Promise<Outcome<T>>;
  circuitState(): CircuitState;
}

/**
 * Builds the long-lived policies of one target (shared by every request). A call asks the breaker
 * once; each of its attempts, retries included, then takes a rate-limit token and a bulkhead slot.
 * The breaker judges the call once, after its retries, on the upstream's own behaviour only (see
 * `callVerdict`): judging each attempt would let a 30%-flaky upstream open the circuit for everyone
 * whenever five attempts in a row happen to fail. cockatiel runs the retry loop and the bulkhead; the
 * breaker and the token bucket are ours (see their files for why).
 * @param label the target's name for messages, e.g. "CRM API"
 */
export function createTargetPolicy(label: string, settings: PolicySettings): TargetPolicy {
  const limiter: RateLimiter =
    settings.rateLimitRps > 0
      ? createTokenBucket(settings.rateLimitRps, settings.rateLimitBurst || settings.rateLimitRps)
      : unlimited;
  const slots = createDeadlineBulkhead(settings.bulkheadLimit, settings.bulkheadQueue);
  const breaker = new CircuitBreaker({
    failureThreshold: settings.breakerFailures,
    halfOpenAfterMs: settings.breakerHalfOpenAfterMs,
  });
  const refusals = localRefusals(label, settings);

  /** Private: one attempt through rate limit and bulkhead; a refusal sends nothing (attempts 0). */
  const guardedAttempt = async <T>(attempt: () => Promise<Outcome<T>>, deadline: Deadline) => {
    const waitMs = limiter === unlimited ? 0 : await limiter.acquire(deadline);
    if (waitMs > 0) return failed<T>(refusals.rateLimited(waitMs));
    const slot = await slots.run(attempt, deadline);
    return slot.ran ? slot.value : failed<T>(refusals.noSlot(slot.why));
  };

  return {
    async execute(attempt, { deadline, idempotent }) {
      // A half-open probe is a whole call, so it may take until its caller's deadline.
      const admission = breaker.admit(remainingMs(deadline));
      if (!admission.admitted) return failed(refusals.circuitOpen(breaker.state, admission.retryAfterMs));
      const planner = createRetryPlanner(settings, deadline, idempotent);
      const verdicts = new Set<BreakerVerdict>();
      let attemptsMade = 0;
      let lastSent: Awaited<ReturnType<typeof attempt>> | undefined;
      let arrivedEarlier = false;
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
      let final: Awaited<ReturnType<typeof attempt>> | undefined;
      try {
        final = await retryPolicy.execute(async () => {
          attemptsMade++;
          const outcome = await guardedAttempt(attempt, deadline);
          verdicts.add(verdictOf(outcome));
          if (outcome.ok || outcome.failure.attempts > 0) lastSent = outcome;
          if (!outcome.ok && mayHaveArrived(outcome.failure)) arrivedEarlier = true;
          return outcome;
        });
        // A retry refused locally (rate limit, bulkhead) says less than the upstream's own last answer.
        const reported = !final.ok && final.failure.attempts === 0 && lastSent ? lastSent : final;
        return withEarlierArrival(reported, arrivedEarlier);
      } finally {
        admission.permit.settle(callVerdict(final?.ok === true, verdicts));
      }
    },
    circuitState: () => breaker.state,
  };
}

/**
 * Private: a call whose last attempt provably did not apply (a 503 or 429 after a 500 or a timeout) may
 * still be applied by an earlier attempt: its failure says so, so nobody takes it as "never happened".
 */
function withEarlierArrival<T>(outcome: Outcome<T>, arrivedEarlier: boolean): Outcome<T> {
  if (outcome.ok || !arrivedEarlier) return outcome;
  const { failure } = outcome;
  if ((failure.kind === 'unavailable' || failure.kind === 'timeout') && !failure.requestMayHaveArrived)
    return failed({ ...failure, requestMayHaveArrived: true });
  return outcome;
}

/**
 * What a call says about the upstream: a success when it ended in one (a retry healed it); else a
 * failure when the upstream itself failed any attempt (even if a later one was cut short by the
 * deadline); else a success when it answered any (a rejection); else nothing (every attempt was cut
 * short, throttled, or never sent).
 */
export function callVerdict(succeeded: boolean, verdicts: ReadonlySet<BreakerVerdict>): BreakerVerdict {
  if (succeeded) return 'success';
  if (verdicts.has('failure')) return 'failure';
  if (verdicts.has('success')) return 'success';
  return 'neutral';
}

/**
 * What one attempt's outcome says about the upstream's health. A business rejection is a healthy
 * upstream; a 5xx, 408, reset, refused connection or attempt timeout is its own fault; a call cut short
 * by the caller's deadline, never sent, throttled (429) or answered outside the contract says nothing.
 */
export function verdictOf(outcome: Outcome<unknown>): BreakerVerdict {
  if (outcome.ok) return 'success';
  const { failure } = outcome;
  switch (failure.kind) {
    case 'rejected':
      return 'success';
    case 'unavailable':
      return failure.attempts > 0 ? 'failure' : 'neutral';
    case 'timeout':
      return failure.cutByDeadline || !failure.requestMayHaveArrived ? 'neutral' : 'failure';
    case 'invalidResponse':
    case 'rateLimited':
    case 'circuitOpen':
      return 'neutral';
    default:
      throw new UnreachableCaseError(failure);
  }
}

/** Private: the failures of attempts the gateway itself refused to send. */
function localRefusals(label: string, settings: PolicySettings) {
  return {
    circuitOpen(state: CircuitState, retryAfterMs: number): Failure {
      const why =
        state === 'HALF_OPEN'
          ? 'a probe call is testing whether it recovered from repeated failures'
          : 'its circuit is open after repeated failures';
      return {
        kind: 'circuitOpen',
        message: `${label} is not being called: ${why}; nothing was sent`,
        retryable: true,
        attempts: 0,
        retryAfterMs: Math.ceil(retryAfterMs),
      };
    },
    rateLimited(waitMs: number): Failure {
      return {
        kind: 'rateLimited',
        message: `${label} calls are over the gateway's rate limit of ${settings.rateLimitRps}/s; nothing was sent`,
        retryable: true,
        attempts: 0,
        retryAfterMs: waitMs,
      };
    },
    noSlot(why: SlotRefusal): Failure {
      if (why === 'full') {
        const limits = `${settings.bulkheadLimit} in flight, ${settings.bulkheadQueue} queued`;
        return {
          kind: 'unavailable',
          message: `${label} is at its concurrency limit (${limits}); nothing was sent`,
          retryable: true,
          attempts: 0,
          requestMayHaveArrived: false,
        };
      }
      return {
        kind: 'timeout',
        message: `${label} was not called: the deadline passed while waiting for a free slot`,
        retryable: true,
        attempts: 0,
        timeoutMs: 0,
        requestMayHaveArrived: false,
        cutByDeadline: true,
      };
    },
  };
}
