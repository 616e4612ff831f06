// Reads a write delivery's stored payload back into the Order a target sends (the agreed data contract).
import { z } from 'zod';
import type { Order } from '../targets/index.js';
import type { JsonValue } from './delivery-queue.js';

// The same bounds an order passes at the GraphQL edge are not repeated here: the payload was validated
// before it was enqueued. This only checks its shape, so a corrupted or foreign row is refused clearly.
const orderPayloadSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  items: z.array(z.object({ sku: z.string().min(1), quantity: z.number().int() })).min(1),
});

/** The order, or why the payload is not one (a delivery that can never be sent: it goes DEAD). */
export function orderFromPayload(
  payload: JsonValue,
): { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly problem: string } {
  const parsed = orderPayloadSchema.safeParse(payload);
  if (parsed.success) {
    const { orderId, customerId, items } = parsed.data;
    return {
      ok: true,
      order: { orderId, customerId, items: items.map(({ sku, quantity }) => ({ sku, quantity })) },
    };
  }
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return {
    ok: false,
    problem: `the stored payload is not an order (${where}${issue?.message ?? 'invalid'})`,
  };
}
