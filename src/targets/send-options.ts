// What every call made for one mutation shares: deadline, idempotency key, and the request's telemetry.
import { createHash } from 'node:crypto';
import type { Context } from '@opentelemetry/api';
import type { Deadline } from '../core/index.js';
import type { LogSink } from '../observability/index.js';
import type { Order } from './order.js';

export interface SendOptions {
  readonly deadline: Deadline;
  /** Who is calling: part of every upstream key, so two clients' keys and order ids never collide. */
  readonly client: string;
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
  /**
   * The Idempotency-Key to send for this order instead of the one derived from the client and its key:
   * the delivery worker's stored key, so every attempt of a delivery carries the key its first one did.
   * Sent only when the target sends keys at all (`idempotencyKeys`). @default derived (upstreamIdempotencyKey)
   */
  readonly upstreamKey?: string;
}

/** The key sent upstream for one order: its explicit `upstreamKey`, else the one derived for it. */
export function upstreamKeyOf(request: OrderRequest, options: SendOptions, targetId: string): string {
  return (
    request.upstreamKey ??
    upstreamIdempotencyKey(options.client, options.idempotencyKey, targetId, request.order)
  );
}

/**
 * Derives the key sent upstream for one order at one target, from the calling client and its key when
 * it gave one, else from the client and the order id, so the gateway's own retries can never apply an
 * order twice (and a keyless repeat of the same order id by the same client is answered as a replay).
 * The client is part of it so that two clients using the same key or order id never collapse into one
 * write. Hashing keeps the key within the contracts' 255 characters and the client's raw key out of
 * upstream logs; a JSON array keeps the parts from running into each other.
 */
export function upstreamIdempotencyKey(
  client: string,
  clientKey: string | undefined,
  targetId: string,
  order: Order,
): string {
  const material = JSON.stringify(
    clientKey === undefined
      ? ['order', client, targetId, order.orderId]
      : ['key', client, clientKey, targetId, order.orderId],
  );
  return `fgw_${createHash('sha256').update(material).digest('base64url')}`;
}
