// Records a claimed delivery's settlement in the queue, with its log line and metrics; never throws.

import type { Settlement } from './decide-settlement.js';
import type { ClaimedDelivery, ClaimedUpdate, Delivery } from './delivery-queue.js';
import { DeliveryQueueError } from './delivery-queue-error.js';
import type { WorkerContext } from './worker-context.js';

/**
 * Applies the settlement under the delivery's claim. A lost claim (another worker took over after the
 * lease expired) changes nothing and is logged; a queue error is logged and the lease returns the
 * delivery later, so it is never lost. Resolves with the delivery's state afterwards, when known.
 */
export async function settleClaimedDelivery(
  context: WorkerContext,
  { delivery, claim }: ClaimedDelivery,
  settlement: Settlement,
): Promise<Delivery['state'] | undefined> {
  const { logger } = context;
  const fields = { deliveryId: delivery.id, target: delivery.target, orderId: delivery.orderId };
  try {
    const answer = await applySettlement(context, delivery.id, claim, settlement);
    if (answer.outcome === 'not-found') {
      logger.warn(fields, 'delivery vanished while in flight (removed from the queue)');
      return undefined;
    }
    if (answer.outcome === 'stale-claim') {
      const state = answer.delivery.state;
      logger.warn(
        { ...fields, state },
        'delivery claim lost: its lease expired and another worker took it over',
      );
      return undefined;
    }
    logStateChange(context, answer.delivery, settlement);
    return answer.delivery.state;
  } catch (error) {
    if (error instanceof DeliveryQueueError && error.code === 'CLOSED') {
      // A call that outlived stop(): its delivery was released, or its lease returns it.
      logger.info({ ...fields, action: settlement.action }, 'delivery attempt ended after the queue closed');
      return undefined;
    }
    logger.error(
      { ...fields, err: error, action: settlement.action },
      'could not record the delivery attempt; the delivery returns to the queue when its lease expires',
    );
    return undefined;
  } finally {
    context.held.delete(delivery.id);
  }
}

/** Private: the one queue call a settlement is. */
function applySettlement(
  { queue }: WorkerContext,
  id: string,
  claim: ClaimedDelivery['claim'],
  settlement: Settlement,
): Promise<ClaimedUpdate> {
  switch (settlement.action) {
    case 'complete':
      return queue.complete(id, claim, settlement.result);
    case 'postpone':
      return queue.postpone(id, claim, settlement.until);
    case 'retryLater':
      return queue.retryLater(id, claim, settlement.failure, settlement.at);
    case 'kill':
      return queue.kill(id, claim, settlement.failure);
  }
}

/** Private: one line per state change, with the delivery id; DEAD at warn, as it needs an operator (a compensation's at error: an alert). */
function logStateChange(
  { logger, metrics }: WorkerContext,
  delivery: Delivery,
  settlement: Settlement,
): void {
  const fields = {
    deliveryId: delivery.id,
    target: delivery.target,
    orderId: delivery.orderId,
    state: delivery.state,
    attempts: delivery.attempts,
  };
  switch (delivery.state) {
    case 'DELIVERED':
      logger.info(fields, 'delivery delivered');
      return;
    case 'DEAD':
      metrics.delivery.dead(delivery.target);
      if (delivery.kind === 'compensation') {
        // An operator alert: the saga could not undo the write, so it remains applied.
        metrics.compensation.dead(delivery.target);
        logger.error(
          { ...fields, kind: delivery.kind, attempts: delivery.attempts, lastFailure: delivery.lastFailure },
          'compensation dead: the write it undoes remains applied; fix the cause, then replay the delivery',
        );
        return;
      }
      logger.warn(
        { ...fields, lastFailure: delivery.lastFailure },
        'delivery dead: it needs an operator (replay or cancel)',
      );
      return;
    case 'CANCELLED':
      logger.info(
        { ...fields, lastFailure: delivery.lastFailure },
        'delivery cancelled (cancel was asked during the attempt)',
      );
      return;
    case 'QUEUED': {
      const nextAttemptAt =
        delivery.nextAttemptAt === null ? null : new Date(delivery.nextAttemptAt).toISOString();
      const why =
        settlement.action === 'postpone'
          ? { postponed: settlement.reason }
          : { lastFailure: delivery.lastFailure };
      logger.info(
        { ...fields, nextAttemptAt, ...why },
        settlement.action === 'postpone' ? 'delivery postponed' : 'delivery queued for a later attempt',
      );
      return;
    }
    case 'IN_FLIGHT':
      return;
  }
}
