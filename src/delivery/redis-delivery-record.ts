// A delivery as the Redis scripts store and answer it (a hash of strings), and its mapping to the public Delivery.
import type { Delivery, DeliveryKind, DeliveryState, DeliveryUpdate, JsonValue } from './delivery-queue.js';

/** The hash fields of `d:<id>`; an absent field is null. */
export type DeliveryRecord = Readonly<Record<string, string>>;

/** A committed change as a script reports it: `p` the previous state (false for a new delivery). */
export interface DeliveryNotice {
  readonly p: DeliveryState | false;
  readonly d: DeliveryRecord;
}

/** The scripts write every field from a validated input, so `kind` and `state` are always members. */
export function deliveryFromRecord(record: DeliveryRecord): Delivery {
  return {
    id: text(record, 'id'),
    kind: text(record, 'kind') as DeliveryKind,
    orderId: text(record, 'orderId'),
    target: text(record, 'target'),
    upstreamKey: text(record, 'upstreamKey'),
    payload: JSON.parse(text(record, 'payload')) as JsonValue,
    traceparent: record.traceparent ?? null,
    clientId: record.clientId ?? null,
    createdAt: Number(text(record, 'createdAt')),
    state: text(record, 'state') as DeliveryState,
    attempts: Number(text(record, 'attempts')),
    nextAttemptAt: numberOrNull(record.nextAttemptAt),
    lastFailure: record.lastFailure ?? null,
    result: record.result === undefined ? null : (JSON.parse(record.result) as JsonValue),
    deliveredAt: numberOrNull(record.deliveredAt),
    updatedAt: Number(text(record, 'updatedAt')),
    leaseExpiresAt: numberOrNull(record.leaseExpiresAt),
    cancelRequested: record.cancelRequested === '1',
  };
}

/** The insertion sequence number: the list cursor. */
export function seqOfRecord(record: DeliveryRecord): number {
  return Number(text(record, 'seq'));
}

export function updateFromNotice(notice: DeliveryNotice): DeliveryUpdate {
  return { delivery: deliveryFromRecord(notice.d), previousState: notice.p === false ? null : notice.p };
}

/** cjson encodes an empty Lua table as `{}`: an answer's list may arrive as an object. */
export function listFromLua<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Private: a field every stored delivery has; its absence means the data was not written by these scripts. */
function text(record: DeliveryRecord, field: string): string {
  const value = record[field];
  if (value === undefined) throw new Error(`stored delivery ${record.id ?? '?'} has no ${field}`);
  return value;
}

function numberOrNull(value: string | undefined): number | null {
  return value === undefined ? null : Number(value);
}
