// The CRM API's log-activity calls (contracts/crm-api.yaml): X-API-Key auth, bodies, and the Activity decoder.
import { z } from 'zod';
import { decodeWithSchema } from '../decode-with-schema.js';
import type { Order } from '../order.js';
import type { TargetEndpoints } from '../target-definition.js';

/** What the gateway keeps of an `Activity`: the CRM target's success value. */
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

/** Logs the order as customer activity. @param apiKey the key the CRM API expects in X-API-Key */
export function crmEndpoints(apiKey: string): TargetEndpoints<ActivityRecord> {
  return {
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
