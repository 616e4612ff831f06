// The opaque list cursor: a position in insertion order, base64url so callers do not build or parse it.
import { DeliveryQueueError } from './delivery-queue-error.js';

const PREFIX = 'd1:';

/** Encodes a row's insertion sequence number. */
export function encodeDeliveryCursor(seq: number): string {
  return Buffer.from(`${PREFIX}${seq}`).toString('base64url');
}

/** @throws DeliveryQueueError(INVALID_ARGUMENT) for anything encodeDeliveryCursor did not produce. */
export function decodeDeliveryCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  const match = /^d1:(\d{1,15})$/.exec(text);
  if (!match?.[1])
    throw new DeliveryQueueError('INVALID_ARGUMENT', 'the `after` cursor is not one this list returned');
  return Number(match[1]);
}
