// cockatiel's bulkhead with every wait for a slot bounded by the caller's deadline.
import { type BulkheadPolicy, bulkhead, isBulkheadRejectedError, isTaskCancelledError } from 'cockatiel';
import { type Deadline, remainingMs } from '../core/index.js';

/** Why no slot was had: the queue was full, or the deadline passed while waiting in it. */
export type SlotRefusal = 'full' | 'expired';

export type SlotResult<T> =
  | { readonly ran: true; readonly value: T }
  | { readonly ran: false; readonly why: SlotRefusal };

export interface DeadlineBulkhead {
  /** Runs `work` in a slot, waiting in the queue no longer than the deadline allows; `work` runs at most once. */
  run<T>(work: () => Promise<T>, deadline: Deadline): Promise<SlotResult<T>>;
}

/**
 * cockatiel checks a queued call's signal only when the call reaches the front of the queue, so a
 * caller behind a slow upstream would wait past its deadline. Here the caller is answered as soon as
 * its deadline passes; the abandoned queue entry is skipped (cancelled) when it is dequeued. Once
 * `work` has started it is never abandoned: its own timeout bounds it, and a write that was sent is
 * never reported as "not sent".
 */
export function createDeadlineBulkhead(limit: number, queue: number): DeadlineBulkhead {
  const policy: BulkheadPolicy = bulkhead(limit, queue);
  return {
    async run(work, deadline) {
      // A free slot runs at once, with no timer: the common case costs nothing extra.
      if (policy.executionSlots > 0) return { ran: true, value: await policy.execute(() => work()) };
      if (policy.queueSlots <= 0) return { ran: false, why: 'full' };
      return new Promise((resolve, reject) => {
        let started = false;
        const signal = AbortSignal.timeout(remainingMs(deadline));
        signal.addEventListener('abort', () => started || resolve({ ran: false, why: 'expired' }), {
          once: true,
        });
        policy
          .execute(() => {
            started = true;
            return work();
          }, signal)
          .then(
            (value) => resolve({ ran: true, value }),
            (error: unknown) => {
              if (isTaskCancelledError(error)) resolve({ ran: false, why: 'expired' });
              else if (isBulkheadRejectedError(error)) resolve({ ran: false, why: 'full' });
              else reject(error);
            },
          );
      });
    },
  };
}
