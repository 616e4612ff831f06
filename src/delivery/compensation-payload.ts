// A compensation delivery's payload (the agreed data contract for saga undo), and reading it back from storage.
import { z } from 'zod';
import type { CompensationRequest } from '../targets/index.js';
import type { JsonValue } from './delivery-queue.js';

/**
 * What a `compensation` delivery stores as its `payload`: the target's compensation request exactly as
 * its module builds it from the write's success value (`module.compensation(value)`), e.g.
 * `{ method: 'POST', path: '/inventory/restore', body: { deductionId }, undoneStatuses: [200] }` or
 * `{ method: 'DELETE', path: '/crm/activities/act_7', undoneStatuses: [204, 200, 404] }`. The worker sends it
 * through the target's client (`compensate`) with the delivery's `upstreamKey` as the Idempotency-Key.
 */
export type CompensationPayload = CompensationRequest;

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

/** The payload as stored JSON (its plain data; an undefined body dropped). */
export function compensationPayload(request: CompensationRequest): JsonValue {
  return JSON.parse(JSON.stringify(request)) as JsonValue;
}

/** The compensation request, or why the payload is not one (a delivery that can never be sent: it goes DEAD). */
export function compensationFromPayload(
  payload: JsonValue,
):
  | { readonly ok: true; readonly request: CompensationRequest }
  | { readonly ok: false; readonly problem: string } {
  const parsed = compensationPayloadSchema.safeParse(payload);
  if (parsed.success) {
    const { method, path, body, undoneStatuses } = parsed.data;
    return { ok: true, request: { method, path, undoneStatuses, ...(body !== undefined && { body }) } };
  }
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return {
    ok: false,
    problem: `the stored payload is not a compensation request (${where}${issue?.message ?? 'invalid'})`,
  };
}
