// Request schemas of the Inventory contract (inventory-api.yaml), as zod; unknown properties are dropped.
import { z } from 'zod';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './request-validation.js';

/** `DeductRequest`: one order's items to take out of stock. */
export const deductRequestSchema = z.object({
  orderId: z.string().min(1).max(128),
  items: z
    .array(
      z.object({
        sku: z.string().min(1).max(64),
        quantity: z.int().min(1).max(10_000),
      }),
    )
    .min(1)
    .max(100),
});

export type DeductRequest = z.infer<typeof deductRequestSchema>;

/** An item of `POST /inventory/deduct/batch`: a `DeductRequest` with its own optional key. */
export const deductBatchItemSchema = deductRequestSchema.extend({
  idempotencyKey: z.string().min(1).max(MAX_IDEMPOTENCY_KEY_LENGTH).optional(),
});

/** Body of `POST /inventory/restore`. */
export const restoreRequestSchema = z.object({ deductionId: z.string() });
