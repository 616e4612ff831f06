// A deliveries table row as better-sqlite3 returns it, and its mapping to the public Delivery.
import type { Delivery, DeliveryKind, DeliveryState, JsonValue } from './delivery-queue.js';

export interface DeliveryRow {
  readonly seq: number;
  readonly id: string;
  readonly kind: string;
  readonly order_id: string;
  readonly target: string;
  readonly upstream_key: string;
  readonly payload: string;
  readonly traceparent: string | null;
  readonly client_id: string | null;
  readonly created_at: number;
  readonly updated_at: number;
  readonly state: string;
  readonly attempts: number;
  readonly next_attempt_at: number | null;
  readonly last_failure: string | null;
  readonly result: string | null;
  readonly delivered_at: number | null;
  readonly claim_token: string | null;
  readonly lease_expires_at: number | null;
  readonly cancel_requested: number;
}

/** The schema's CHECK constraints guarantee `kind` and `state`; JSON columns were written by JSON.stringify. */
export function deliveryFromRow(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    kind: row.kind as DeliveryKind,
    orderId: row.order_id,
    target: row.target,
    upstreamKey: row.upstream_key,
    payload: JSON.parse(row.payload) as JsonValue,
    traceparent: row.traceparent,
    clientId: row.client_id,
    createdAt: row.created_at,
    state: row.state as DeliveryState,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastFailure: row.last_failure,
    result: row.result === null ? null : (JSON.parse(row.result) as JsonValue),
    deliveredAt: row.delivered_at,
    updatedAt: row.updated_at,
    leaseExpiresAt: row.lease_expires_at,
    cancelRequested: row.cancel_requested === 1,
  };
}

/** Oldest due first, then insertion order: the order claimDue hands deliveries out in. */
export function byDueTime(a: DeliveryRow, b: DeliveryRow): number {
  return (a.next_attempt_at ?? 0) - (b.next_attempt_at ?? 0) || a.seq - b.seq;
}
