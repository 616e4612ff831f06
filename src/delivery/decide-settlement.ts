// What the worker does with a delivery after an attempt: complete, retry later, postpone, or kill (DEAD).
import { type Failure, mayHaveArrived, type Outcome, UnreachableCaseError } from '../core/index.js';
import type { JsonValue } from './delivery-queue.js';
import { describeDeliveryFailure } from './describe-delivery-failure.js';
import type { RetrySchedule } from './retry-schedule.js';

export type Settlement =
  | { readonly action: 'complete'; readonly result: JsonValue }
  /** Nothing was sent (open circuit, local rate limit or full bulkhead): no attempt is spent. */
  | { readonly action: 'postpone'; readonly until: number; readonly reason: string }
  | { readonly action: 'retryLater'; readonly at: number; readonly failure: string }
  | { readonly action: 'kill'; readonly failure: string };

export interface SettlementInput {
  readonly outcome: Outcome<unknown>;
  /** Attempts the delivery had made before this one. */
  readonly attemptsBefore: number;
  readonly now: number;
  readonly schedule: RetrySchedule;
  /** How long a postponed delivery waits when the refusal names no time (e.g. the poll interval). */
  readonly postponeMs: number;
  /**
   * Whether a resend carries the delivery's key (the target sends Idempotency-Keys, or the call is
   * idempotent by itself, like a compensation). Without it, a failure that may have arrived is not
   * resent: it may have applied, and a resend could apply it twice.
   */
  readonly resendIsKeyed: boolean;
}

/**
 * The rules: a success completes; a refusal that sent nothing postpones without spending an attempt; a
 * permanent answer (4xx, a body that breaks the contract) kills at once with the answer recorded; a
 * transient one (5xx, timeout, reset, 429) retries at the schedule's next step — or kills when the
 * schedule is exhausted. Transient is judged by kind, not `retryable`: a resend carries the delivery's
 * key, so it cannot apply the write twice — unless the target sends no keys (`resendIsKeyed` false), when
 * a failure that may have arrived goes DEAD instead, for an operator to check.
 */
export function decideSettlement(input: SettlementInput): Settlement {
  const { outcome, now } = input;
  if (outcome.ok) return { action: 'complete', result: toJsonValue(outcome.value) };
  const { failure } = outcome;
  if (failure.kind === 'circuitOpen' || failure.attempts === 0) {
    return {
      action: 'postpone',
      until: now + (retryAfterOf(failure) ?? input.postponeMs),
      reason: failure.message,
    };
  }
  const text = describeDeliveryFailure(failure);
  switch (failure.kind) {
    case 'rejected':
    case 'invalidResponse':
      return { action: 'kill', failure: text };
    case 'unavailable':
    case 'timeout':
    case 'rateLimited': {
      const attemptsMade = input.attemptsBefore + 1;
      if (!input.resendIsKeyed && mayHaveArrived(failure))
        return {
          action: 'kill',
          failure: `${text} (not resent: it may have been applied, and the target sends no Idempotency-Key, so a resend could apply it twice)`,
        };
      const at = input.schedule.nextAttemptAt({ attemptsMade, now, retryAfterMs: retryAfterOf(failure) });
      if (at === null)
        return {
          action: 'kill',
          failure: `${text} (the retry schedule is exhausted after ${attemptsMade} attempts)`,
        };
      return { action: 'retryLater', at, failure: text };
    }
    default:
      throw new UnreachableCaseError(failure);
  }
}

/** Private: the upstream's or the breaker's Retry-After, when the failure carries one. */
function retryAfterOf(failure: Failure): number | undefined {
  return 'retryAfterMs' in failure ? failure.retryAfterMs : undefined;
}

/** Private: a decoded success as stored JSON (its plain data; undefined properties dropped). */
function toJsonValue(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}
