// Validates what enqueue is given (and list filters), so a bad value is a clear INVALID_ARGUMENT, not bad data.
import { z } from 'zod';
import {
  DELIVERY_STATES,
  type DeliveryFilter,
  MAX_PAGE_SIZE,
  type NewDelivery,
  type PageRequest,
} from './delivery-queue.js';
import { DeliveryQueueError } from './delivery-queue-error.js';

const text = (max: number) => z.string().min(1).max(max);
const epochMs = z.number().int().nonnegative();
const kind = z.enum(['write', 'compensation']);

const newDeliverySchema = z.object({
  id: text(200),
  kind,
  orderId: text(200),
  target: text(100),
  upstreamKey: text(300),
  payload: z.json(),
  traceparent: text(512).optional(),
  clientId: text(200).optional(),
  nextAttemptAt: epochMs.optional(),
  attempts: z.number().int().nonnegative().optional(),
  lastFailure: z.string().max(10_000).optional(),
});

const filterSchema = z.object({
  state: z.enum(DELIVERY_STATES).optional(),
  target: text(100).optional(),
  orderId: text(200).optional(),
  kind: kind.optional(),
  createdAfter: epochMs.optional(),
  createdBefore: epochMs.optional(),
});

const pageSchema = z.object({
  first: z.number().int().min(1).max(MAX_PAGE_SIZE),
  after: z.string().optional(),
});

/** @throws DeliveryQueueError(INVALID_ARGUMENT) naming the first bad field. */
export function validateNewDeliveries(deliveries: readonly NewDelivery[]): void {
  for (const [index, delivery] of deliveries.entries())
    check(newDeliverySchema, delivery, `delivery ${index}`);
}

/** @throws DeliveryQueueError(INVALID_ARGUMENT) naming the first bad field. */
export function validateFilter(filter: DeliveryFilter): void {
  check(filterSchema, filter, 'filter');
}

/** @throws DeliveryQueueError(INVALID_ARGUMENT) for a page size outside 1..MAX_PAGE_SIZE. */
export function validatePage(page: PageRequest): void {
  check(pageSchema, page, 'page');
}

/** Private: parses or throws one readable message. */
function check(schema: z.ZodType, value: unknown, what: string): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? `.${issue.path.join('.')}` : '';
  throw new DeliveryQueueError('INVALID_ARGUMENT', `${what}${path}: ${issue?.message ?? 'invalid'}`);
}
