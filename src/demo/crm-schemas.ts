// Request schemas of the CRM contract (crm-api.yaml), as zod; unknown properties are dropped.
import { z } from 'zod';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './request-validation.js';

/** `ActivityRequest`: one customer activity to record. */
export const activityRequestSchema = z.object({
  customerId: z.string().min(1).max(128),
  orderId: z.string().min(1).max(128),
  type: z.literal('order_placed'),
  details: z.record(z.string(), z.unknown()).optional(),
});

export type ActivityRequest = z.infer<typeof activityRequestSchema>;

/** An item of `POST /crm/log_activity/batch`: an `ActivityRequest` with its own optional key. */
export const activityBatchItemSchema = activityRequestSchema.extend({
  idempotencyKey: z.string().min(1).max(MAX_IDEMPOTENCY_KEY_LENGTH).optional(),
});
