// A compensation delivery's payload (the agreed data contract for saga undo), and reading it back from storage.
import { z } from 'zod';
import type { CompensationRequest, Order } from '../targets/index.js';
import type { JsonValue } from './delivery-queue.js';

/**
 * What a `compensation` delivery stores as its `payload`, one of two forms:
 * - **undo** a write whose success is known: the target's compensation request exactly as its module builds
 *   it from the write's success value (`module.compensation(value)`), e.g.
 *   `{ method: 'POST', path: '/inventory/restore', body: { deductionId }, undoneStatuses: [200] }` or
 *   `{ method: 'DELETE', path: '/crm/activities/act_7', undoneStatuses: [204, 200, 404] }`. The worker sends it
 *   through the target's client (`compensate`) with the delivery's `upstreamKey` as the Idempotency-Key.
 * - **resolve, then undo** a write that may have been applied (a timeout with a key):
 *   `{ resolve: { writeDeliveryId, writeUpstreamKey, order } }`. The worker first learns whether the write
 *   applied — from its delivery once DELIVERED, else by resending it with its own key (the upstream replays
 *   the original answer, which carries the id to undo) — and undoes it only then.
 */
export type CompensationPayload = CompensationRequest | ResolveThenUndo;

/** The resolve-then-undo form: everything needed to resend the write exactly as it was first sent. */
export interface ResolveThenUndo {
  readonly resolve: {
    readonly writeDeliveryId: string;
    readonly writeUpstreamKey: string;
    readonly order: Order;
  };
}

/** A stored compensation, read back: which form, and its data. */
export type StoredCompensation =
  | { readonly form: 'undo'; readonly request: CompensationRequest }
  | { readonly form: 'resolve'; readonly resolve: ResolveThenUndo['resolve'] };

/** Within the contracts' paths: one absolute path, no query or fragment, no empty or dot segments. */
const pathSchema = z
  .string()
  .max(2048)
  .regex(/^(\/[^/?#\s]+)+$/, 'must be an absolute path of non-empty segments, without query or fragment')
  .refine(
    (path) => path.split('/').every((segment) => segment !== '.' && segment !== '..'),
    'must not contain . or .. segments',
  );

const compensationPayloadSchema = z.object({
  method: z.enum(['POST', 'DELETE']),
  path: pathSchema,
  body: z.record(z.string(), z.json()).optional(),
  // 2xx to 4xx only: a 5xx proves nothing about the write, so no stored payload may call one "undone".
  undoneStatuses: z.array(z.int().min(200).max(499)).min(1).max(10),
});

const resolvePayloadSchema = z.object({
  resolve: z.object({
    writeDeliveryId: z.string().min(1).max(200),
    writeUpstreamKey: z.string().min(1).max(255),
    order: z.object({
      orderId: z.string().min(1),
      customerId: z.string().min(1),
      items: z.array(z.object({ sku: z.string().min(1), quantity: z.int() })).min(1),
    }),
  }),
});

/** The payload as stored JSON (its plain data; an undefined body dropped). */
export function compensationPayload(payload: CompensationPayload): JsonValue {
  return JSON.parse(JSON.stringify(payload)) as JsonValue;
}

/** The stored compensation, or why the payload is not one (a delivery that can never be sent: it goes DEAD). */
export function compensationFromPayload(
  payload: JsonValue,
): ({ readonly ok: true } & StoredCompensation) | { readonly ok: false; readonly problem: string } {
  if (typeof payload === 'object' && payload !== null && 'resolve' in payload) {
    const resolve = resolvePayloadSchema.safeParse(payload);
    if (resolve.success) return { ok: true, form: 'resolve', resolve: resolve.data.resolve };
    return notACompensation(resolve.error.issues[0]);
  }
  const parsed = compensationPayloadSchema.safeParse(payload);
  if (parsed.success) {
    const { method, path, body, undoneStatuses } = parsed.data;
    const request = { method, path, undoneStatuses, ...(body !== undefined && { body }) };
    return { ok: true, form: 'undo', request };
  }
  return notACompensation(parsed.error.issues[0]);
}

/** Private: why a stored payload is not a compensation. */
function notACompensation(issue: z.core.$ZodIssue | undefined): {
  readonly ok: false;
  readonly problem: string;
} {
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return {
    ok: false,
    problem: `the stored payload is not a compensation request (${where}${issue?.message ?? 'invalid'})`,
  };
}
