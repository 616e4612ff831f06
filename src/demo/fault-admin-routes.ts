// Admin routes to break a demo upstream from curl: /__demo/faults (no auth, never faulted, never recorded).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendAnswer } from './contract-route.js';
import type { Fault, FaultPlan, FaultSettings } from './fault-plan.js';
import { parseContractBody } from './request-validation.js';

/** Where the admin routes live. */
export const FAULT_ADMIN_PATH = '/__demo/faults';

const afterApply = z.boolean().optional();

const faultSchema: z.ZodType<Fault> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status'),
    status: z.int().min(100).max(599),
    retryAfter: z.union([z.string(), z.number()]).transform(String).optional(),
    body: z.unknown().optional(),
    afterApply,
  }),
  z.object({ kind: z.literal('drop'), afterApply }),
  z.object({ kind: z.literal('malformed'), afterApply }),
  z.object({ kind: z.literal('invalidJson'), afterApply }),
  z.object({ kind: z.literal('hang'), afterApply }),
]);

const faultSettingsSchema: z.ZodType<FaultSettings> = z.object({
  latencyMs: z.number().min(0).optional(),
  failureRate: z.number().min(0).max(1).optional(),
  failure: faultSchema.optional(),
  paths: z.array(z.string()).optional(),
});

const faultQueueSchema = z.object({ faults: z.array(faultSchema) });

/**
 * Registers the admin routes:
 * `GET /__demo/faults` (settings and queue), `PUT /__demo/faults` (replace the settings with a
 * FaultSettings body), `POST /__demo/faults/queue` (`{ faults: Fault[] }` to enqueue) and
 * `DELETE /__demo/faults` (reset).
 */
export function registerFaultAdminRoutes(app: FastifyInstance, faults: FaultPlan): void {
  app.get(FAULT_ADMIN_PATH, async (_request, reply) => reply.send(faults.snapshot()));

  app.put(FAULT_ADMIN_PATH, async (request, reply) => {
    const parsed = parseContractBody(faultSettingsSchema, request.body);
    if (!parsed.ok) return sendAnswer(reply, parsed.answer);
    faults.set(parsed.value);
    return reply.send(faults.snapshot());
  });

  app.post(`${FAULT_ADMIN_PATH}/queue`, async (request, reply) => {
    const parsed = parseContractBody(faultQueueSchema, request.body);
    if (!parsed.ok) return sendAnswer(reply, parsed.answer);
    faults.enqueue(...parsed.value.faults);
    return reply.send(faults.snapshot());
  });

  app.delete(FAULT_ADMIN_PATH, async (_request, reply) => {
    faults.reset();
    return reply.code(204).send();
  });
}
