// SYNC_OR_QUEUE: commits the writes still failing transiently at the deadline to the durable queue, or keeps their failures.
import { type Failure, mayHaveArrived, UnreachableCaseError } from '../core/index.js';
import type { DeliveryQueue, RetrySchedule } from '../delivery/index.js';
import type { Order, SendOptions, TargetId } from '../targets/index.js';
import { type QueuedDelivery, queuedDeliveryOf } from './queued-delivery.js';
import { writeDelivery } from './write-delivery.js';

/** Where SYNC_OR_QUEUE queues a target's transient failure, and when the queued write is next due. */
export interface TransientFailureQueueing {
  readonly queue: DeliveryQueue;
  /** The delivery retry schedule: its step after the attempts already made sets the next attempt. */
  readonly schedule: RetrySchedule;
}

/**
 * Whether a worker could deliver the write later: no answer, a 5xx or 408, a 429, an open circuit. A 4xx
 * rejection or a body that breaks the contract is permanent (the upstream spoke; the same request gets the
 * same answer), so it is reported, not queued.
 */
export function isTransientFailure(failure: Failure): boolean {
  switch (failure.kind) {
    case 'unavailable':
    case 'timeout':
    case 'rateLimited':
    case 'circuitOpen':
      return true;
    case 'rejected':
    case 'invalidResponse':
      return false;
    default:
      throw new UnreachableCaseError(failure);
  }
}

/**
 * Enqueues one write delivery for each transient failure of `order` (attempts, last failure and the next
 * due time carried over) and resolves with the queued targets once committed. A failure that may have
 * arrived at a target that sends no Idempotency-Key is not queued: the worker's resend could apply it
 * twice, so it is reported as it is. When the queue cannot be
 * written it logs and resolves with none: the caller then reports the real failures (never a silent loss).
 */
export async function queueTransientFailures(
  order: Order,
  failures: readonly {
    readonly id: TargetId;
    readonly failure: Failure;
    /** Whether the worker's resend would carry the write's key (the target sends Idempotency-Keys). */
    readonly resendIsKeyed: boolean;
  }[],
  send: SendOptions,
  queueing: TransientFailureQueueing,
): Promise<Partial<Record<TargetId, QueuedDelivery>>> {
  const transient = failures.filter(
    ({ failure, resendIsKeyed }) =>
      isTransientFailure(failure) && (resendIsKeyed || !mayHaveArrived(failure)),
  );
  if (transient.length === 0) return {};
  const now = Date.now();
  const deliveries = transient.map(({ id, failure }) =>
    writeDelivery(order, id, send, {
      attempts: failure.attempts,
      lastFailure: failure.message,
      nextAttemptAt: nextAttemptAfter(failure, now, queueing.schedule),
    }),
  );
  try {
    const enqueued = await queueing.queue.enqueue(deliveries);
    const queued: Partial<Record<TargetId, QueuedDelivery>> = {};
    transient.forEach(({ id }, index) => {
      const entry = enqueued[index];
      if (entry) queued[id] = queuedDeliveryOf(entry.delivery);
    });
    return queued;
  } catch (error) {
    send.logger?.error(
      { err: error, orderId: order.orderId, targets: transient.map(({ id }) => id) },
      'could not queue the transient failures of a SYNC_OR_QUEUE order; reporting them as failures',
    );
    return {};
  }
}

/**
 * Private: the schedule's step after the attempts made (or the upstream's longer Retry-After). When the
 * request already made as many attempts as the schedule allows, the worker still gets one, after the
 * Retry-After if there is one: a queued write is never dead on arrival.
 */
function nextAttemptAfter(failure: Failure, now: number, schedule: RetrySchedule): number {
  const retryAfterMs = 'retryAfterMs' in failure ? failure.retryAfterMs : undefined;
  return (
    schedule.nextAttemptAt({ attemptsMade: failure.attempts, now, retryAfterMs }) ?? now + (retryAfterMs ?? 0)
  );
}
