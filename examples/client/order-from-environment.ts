// Example input: the order both example clients place, with ORDER_SKU and ORDER_QUANTITY to make the Inventory API refuse it.
import type { PlaceOrderInput } from './__generated__/graphql.js';

/**
 * A new order for customer CUST-1. `ORDER_SKU` (default SKU-RED-MUG) and `ORDER_QUANTITY` (default 2)
 * change its one line: an unknown SKU or more than the stock gets an UpstreamRejected from the Inventory API.
 */
export function orderFromEnvironment(): PlaceOrderInput {
  return {
    orderId: `order-${Date.now()}`,
    customerId: 'CUST-1',
    items: [
      { sku: process.env.ORDER_SKU ?? 'SKU-RED-MUG', quantity: Number(process.env.ORDER_QUANTITY ?? 2) },
    ],
  };
}
