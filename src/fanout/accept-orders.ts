// ASYNC: commits one write delivery per (order, target) to the durable queue, all or none, and sends nothing.
import type { DeliveryQueue, NewDelivery } from '../delivery/index.js';
import type { GatewayMetrics } from '../observability/index.js';
import type { Order, SendOptions, TargetId, TargetRegistry } from '../targets/index.js';
import type { FanoutResult, QueuedTargets } from './create-fanout-session.js';
import { OrderConflictError, payloadIsOrder } from './order-conflict-error.js';
import { queuedDeliveryOf } from './queued-delivery.js';
import { writeDelivery } from './write-delivery.js';

/**
 * Enqueues every order × target in one atomic `enqueue` and resolves once it is committed durably, with
 * every target queued and status ACCEPTED. A delivery that exists already (a repeat of the same order and
 * key) is not enqueued again: its stored state is reported instead.
 * @param joinWrites turns one order's writes into what is enqueued (ALL_OR_NOTHING joins them in a saga)
 * @throws DeliveryQueueError when the queue cannot be written (nothing was queued, nothing sent)
 * @throws OrderConflictError when a repeat's stored write carries another order (the new ones were
 *   still committed: they are delivered like any ASYNC order)
 */
export async function acceptOrders(
  orders: readonly Order[],
  registry: TargetRegistry,
  queue: DeliveryQueue,
  send: SendOptions,
  metrics: GatewayMetrics,
  joinWrites: (writes: NewDelivery[]) => NewDelivery[] = (writes) => writes,
): Promise<FanoutResult[]> {
  const startedAt = performance.now();
  const ids = registry.targets.map(({ id }) => id);
  const deliveries = orders.flatMap((order) => joinWrites(ids.map((id) => writeDelivery(order, id, send))));
  const enqueued = await queue.enqueue(deliveries);
  const conflicts = orders.filter((order, orderIndex) =>
    enqueued
      .slice(orderIndex * ids.length, (orderIndex + 1) * ids.length)
      .some(({ delivery, created }) => !created && !payloadIsOrder(delivery.payload, order)),
  );
  if (conflicts.length > 0)
    throw new OrderConflictError(
      conflicts.map(({ orderId }) => orderId),
      conflicts.length < orders.length,
    );
  const durationMs = performance.now() - startedAt;
  return orders.map((order, orderIndex) => {
    const queued: Partial<Record<TargetId, ReturnType<typeof queuedDeliveryOf>>> = {};
    ids.forEach((id, targetIndex) => {
      const entry = enqueued[orderIndex * ids.length + targetIndex];
      if (entry) queued[id] = queuedDeliveryOf(entry.delivery);
    });
    metrics.mutation('ACCEPTED', durationMs / 1000);
    return {
      orderId: order.orderId,
      status: 'ACCEPTED',
      outcomes: {},
      queued: queued as QueuedTargets,
      durationMs,
    };
  });
}
