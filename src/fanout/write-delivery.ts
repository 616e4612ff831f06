// Builds the durable write delivery for one (order, target), following the agreed data contract.
import type { Context } from '@opentelemetry/api';
import { deliveryIdFor, type JsonValue, type NewDelivery } from '../delivery/index.js';
import { injectTraceContext } from '../observability/index.js';
import { type Order, type SendOptions, upstreamIdempotencyKey } from '../targets/index.js';

/** What a queued write carries besides the order: SYNC_OR_QUEUE's attempts so far, failure and due time. */
export interface WriteDeliveryState {
  /** @default 0 */
  readonly attempts?: number;
  readonly lastFailure?: string;
  /** Epoch ms. @default now (the queue's clock) */
  readonly nextAttemptAt?: number;
}

/**
 * The write delivery of `order` to target `targetId`: its payload is the order exactly as a target receives
 * it, its upstream key exactly the one the request itself sends, so every attempt carries the same key.
 */
export function writeDelivery(
  order: Order,
  targetId: string,
  send: SendOptions,
  state: WriteDeliveryState = {},
): NewDelivery {
  const upstreamKey = upstreamIdempotencyKey(send.client, send.idempotencyKey, targetId, order);
  const payload: JsonValue = {
    orderId: order.orderId,
    customerId: order.customerId,
    items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
  };
  return {
    id: deliveryIdFor('write', upstreamKey),
    kind: 'write',
    orderId: order.orderId,
    target: targetId,
    upstreamKey,
    payload,
    traceparent: traceparentOf(send.traceContext),
    clientId: send.client,
    attempts: state.attempts,
    lastFailure: state.lastFailure,
    nextAttemptAt: state.nextAttemptAt,
  };
}

/** Private: the W3C traceparent of the mutation's span, when there is a valid one (tracing on or continued). */
function traceparentOf(context: Context | undefined): string | undefined {
  if (!context) return undefined;
  const headers: Record<string, string> = {};
  injectTraceContext(context, headers);
  return headers.traceparent;
}
