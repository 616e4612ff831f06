// A target's write as the mutation answers it once it sits in the durable delivery queue.
import type { Delivery } from '../delivery/index.js';

/** What the DeliveryQueued member reports: the stored delivery as it was when the mutation answered. */
export interface QueuedDelivery {
  readonly deliveryId: string;
  readonly attempts: number;
  /** Epoch ms the next attempt is due; null once the delivery left QUEUED (e.g. a repeat of a delivered one). */
  readonly nextAttemptAt: number | null;
  readonly lastFailure: string | null;
}

export function queuedDeliveryOf(delivery: Delivery): QueuedDelivery {
  return {
    deliveryId: delivery.id,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt,
    lastFailure: delivery.lastFailure,
  };
}
