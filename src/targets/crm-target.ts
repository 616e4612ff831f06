// The CRM API (contracts/crm-api.yaml): log the order as customer activity, X-API-Key auth.
import { z } from 'zod';
import { decodeWithSchema } from './decode-with-schema.js';
import type { Order } from './order.js';
import type { TargetDefinition } from './target-definition.js';

/** What the gateway keeps of an `Activity`. */
export interface ActivityRecord {
  readonly orderId: string;
  readonly activityId: string;
  readonly loggedAt: string;
  readonly replayed: boolean;
  readonly attempts: number;
}

const activitySchema = z.object({
  activityId: z.string().min(1),
  customerId: z.string(),
  orderId: z.string(),
  type: z.string(),
  loggedAt: z.iso.datetime({ offset: true }),
});

/** Declares the CRM target. @param apiKey the key the CRM API expects in X-API-Key */
export function crmTarget(apiKey: string): TargetDefinition<ActivityRecord> {
  return {
    id: 'crm',
    label: 'CRM API',
    singlePath: '/crm/log_activity',
    batchPath: '/crm/log_activity/batch',
    authHeaders: { 'x-api-key': apiKey },
    credentials: [apiKey],
    singleBody: (order: Order) => ({
      customerId: order.customerId,
      orderId: order.orderId,
      type: 'order_placed',
      details: {
        items: order.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
        itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
      },
    }),
    batchBody: (activities) => ({ activities }),
    decodeSuccess: (body, meta) =>
      decodeWithSchema(activitySchema, body, (activity) => ({
        orderId: activity.orderId,
        activityId: activity.activityId,
        loggedAt: activity.loggedAt,
        ...meta,
      })),
  };
}
