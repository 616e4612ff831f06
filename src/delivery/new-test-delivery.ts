// A valid NewDelivery with unique ids, for the queue contract cases and the queue tests.
import { randomUUID } from 'node:crypto';
import type { NewDelivery } from './delivery-queue.js';

/** A new delivery with unique ids; `overrides` pick the fields a case cares about. */
export function newTestDelivery(overrides: Partial<NewDelivery> = {}): NewDelivery {
  const orderId = overrides.orderId ?? `order-${randomUUID()}`;
  const target = overrides.target ?? 'crm';
  return {
    id: `${orderId}:${target}:${randomUUID()}`,
    kind: 'write',
    orderId,
    target,
    upstreamKey: `key-${orderId}-${target}`,
    payload: { orderId, items: [{ sku: 'SKU-1', quantity: 2 }] },
    ...overrides,
  };
}
