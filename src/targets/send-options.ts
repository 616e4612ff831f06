// What every call made for one mutation shares: deadline, idempotency key, and the request's telemetry.
import { createHash } from 'node:crypto';
import type { Context } from '@opentelemetry/api';
import type { LogSink } from '../observability/index.js';
import type { Deadline } from '../upstream/index.js';
import type { Order } from './order.js';

export interface SendOptions {
  readonly deadline: Deadline;
  /** The client's idempotency key; each target and order gets its own key derived from it. */
  readonly idempotencyKey?: string;
  /** Forwarded upstream as `x-request-id`. */
  readonly requestId?: string;
  /** The request's logger: one line per upstream attempt goes here. */
  readonly logger?: LogSink;
  /** The operation's trace context: the parent of batch calls, which serve many orders. */
  readonly traceContext?: Context;
}

/** One order to send, with the trace context of its own fan-out span (the parent of its single calls). */
export interface OrderRequest {
  readonly order: Order;
  readonly traceContext?: Context;
}

/**
 * Derives the key sent upstream for one order at one target: from the client's key when it gave one,
 * else from the order id alone, so the gateway's own retries can never apply an order twice (and a
 * keyless repeat of the same order id is answered as a replay). Hashing keeps the key within the
 * contracts' 255 characters and keeps the client's raw key out of upstream logs.
 */
export function upstreamIdempotencyKey(
  clientKey: string | undefined,
  targetId: string,
  order: Order,
): string {
  const material =
    clientKey === undefined
      ? `order\u0000${targetId}\u0000${order.orderId}`
      : `key\u0000${clientKey}\u0000${targetId}\u0000${order.orderId}`;
  return `fgw_${createHash('sha256').update(material).digest('base64url')}`;
}
