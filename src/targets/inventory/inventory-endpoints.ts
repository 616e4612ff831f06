// The Inventory API's deduct calls (contracts/inventory-api.yaml): Bearer-token auth, bodies, and the Deduction decoder.
import { z } from 'zod';
import { decodeWithSchema } from '../decode-with-schema.js';
import type { Order } from '../order.js';
import type { TargetEndpoints } from '../target-definition.js';

/** What the gateway keeps of a `Deduction`: the Inventory target's success value. */
export interface StockDeduction {
  readonly orderId: string;
  readonly deductionId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly remaining: number }[];
  readonly replayed: boolean;
  readonly attempts: number;
}

const deductionSchema = z.object({
  deductionId: z.string().min(1),
  orderId: z.string(),
  items: z.array(z.object({ sku: z.string(), quantity: z.int(), remaining: z.int() })),
});

/** Deducts an order's stock. @param token the Bearer token the Inventory API expects */
export function inventoryEndpoints(token: string): TargetEndpoints<StockDeduction> {
  return {
    singlePath: '/inventory/deduct',
    batchPath: '/inventory/deduct/batch',
    authHeaders: { authorization: `Bearer ${token}` },
    credentials: [token],
    singleBody: (order: Order) => ({
      orderId: order.orderId,
      items: order.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
    }),
    batchBody: (requests) => ({ requests }),
    decodeSuccess: (body, meta) =>
      decodeWithSchema(deductionSchema, body, (deduction) => ({
        orderId: deduction.orderId,
        deductionId: deduction.deductionId,
        items: deduction.items,
        ...meta,
      })),
  };
}
