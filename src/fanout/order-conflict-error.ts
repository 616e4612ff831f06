// A repeat that names an order already queued (same client and key, or same order id) but carries other contents.
import type { JsonValue } from '../delivery/index.js';
import type { Order } from '../targets/index.js';

/** Thrown instead of answering for the earlier order: the caller reused a key (or an order id) for another order. */
export class OrderConflictError extends Error {
  override readonly name = 'OrderConflictError';
  /**
   * @param orderIds the orders whose repeat carries other contents
   * @param othersQueued whether other orders of the same request were committed (a repeat of them is safe)
   * @param how what happened to those others: `queued` (ASYNC) or `placed` (ALL_OR_NOTHING, sent)
   */
  constructor(
    readonly orderIds: readonly string[],
    othersQueued = false,
    how: 'queued' | 'placed' = 'queued',
  ) {
    super(
      `${orderIds.length === 1 ? 'order' : 'orders'} ${orderIds.join(', ')}: placed before with other contents (same client and idempotency key, or same order id without one); nothing new was queued for ${orderIds.length === 1 ? 'it' : 'them'}: use a new order id or key${othersQueued ? `. The request's other orders were ${how}: repeating them without the refused ones answers their current state and sends nothing twice` : ''}`,
    );
  }
}

/**
 * Whether a stored write's payload is exactly `order` (customer, and items in order): a repeat may only
 * answer for the order it repeats. Extra payload fields (the saga membership) do not count.
 */
export function payloadIsOrder(payload: JsonValue, order: Order): boolean {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  const stored = payload as { readonly [key: string]: JsonValue };
  const items = stored.items;
  return (
    stored.orderId === order.orderId &&
    stored.customerId === order.customerId &&
    Array.isArray(items) &&
    items.length === order.items.length &&
    order.items.every((item, index) => {
      const storedItem = items[index] as { readonly [key: string]: JsonValue } | undefined;
      return storedItem?.sku === item.sku && storedItem?.quantity === item.quantity;
    })
  );
}
