// What every call made for one mutation shares: its deadline and the client's idempotency key.
import { createHash } from 'node:crypto';
import type { Deadline } from '../upstream/index.js';
import type { Order } from './order.js';

export interface SendOptions {
  readonly deadline: Deadline;
  /** The client's idempotency key; each target and order gets its own key derived from it. */
  readonly idempotencyKey?: string;
}

/**
 * Derives the key sent upstream for one order at one target. Hashing keeps it within the contracts'
 * 255 characters whatever the inputs' lengths, and keeps the client's raw key out of upstream logs.
 */
export function upstreamIdempotencyKey(clientKey: string, targetId: string, order: Order): string {
  const digest = createHash('sha256')
    .update(`${clientKey}\u0000${targetId}\u0000${order.orderId}`)
    .digest('base64url');
  return `fgw_${digest}`;
}
