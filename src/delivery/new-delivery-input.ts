// Validates what both queues are given (enqueue, list filters, claim and settle numbers), so a bad value is a clear INVALID_ARGUMENT, not bad data.
import { z } from 'zod';
import {
  DELIVERY_STATES,
  type DeliveryFilter,
  type JsonValue,
  MAX_PAGE_SIZE,
  type NewDelivery,
  type PageRequest,
} from './delivery-queue.js';
import { DeliveryQueueError } from './delivery-queue-error.js';

const text = (max: number) => z.string().min(1).max(max);
const epochMs = z.number().int().nonnegative();
const kind = z.enum(['write', 'compensation']);

/** Longest lease of any claim (claimDue, extendLease, claimForMs): a day, so `now + lease` stays exact. */
export const MAX_LEASE_MS = 86_400_000;

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
  claimForMs: z.number().int().min(1).max(MAX_LEASE_MS).optional(),
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

/** Most deliveries one claimDue hands out. */
export const MAX_CLAIM = 1000;

/** @throws DeliveryQueueError(INVALID_ARGUMENT) for a size outside 1..MAX_CLAIM or a lease outside 1..MAX_LEASE_MS. */
export function validateClaim(limit: number, leaseMs: number): void {
  requireInteger('limit', limit, 1, MAX_CLAIM);
  requireLeaseMs(leaseMs);
}

/** @throws DeliveryQueueError(INVALID_ARGUMENT) for a lease that is not an integer from 1 to MAX_LEASE_MS. */
export function requireLeaseMs(leaseMs: number): void {
  requireInteger('leaseMs', leaseMs, 1, MAX_LEASE_MS);
}

/** @throws DeliveryQueueError(INVALID_ARGUMENT) for a non-integer or one below `min` (epoch ms and durations). */
export function requireEpochMs(name: string, value: number, min = 0): void {
  requireInteger(name, value, min, Number.MAX_SAFE_INTEGER);
}

/**
 * The settled result as stored JSON.
 * @throws DeliveryQueueError(INVALID_ARGUMENT) when it is not JSON.
 */
export function resultJson(result: JsonValue): string {
  const json = JSON.stringify(result) as string | undefined;
  if (json === undefined) throw new DeliveryQueueError('INVALID_ARGUMENT', 'the result is not JSON');
  return json;
}

/** Private: rejects a non-integer or out-of-range argument as INVALID_ARGUMENT. */
function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new DeliveryQueueError(
      'INVALID_ARGUMENT',
      `${name} must be an integer from ${min} to ${max}, not ${value}`,
    );
}

/** Private: parses or throws one readable message. */
function check(schema: z.ZodType, value: unknown, what: string): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? `.${issue.path.join('.')}` : '';
  throw new DeliveryQueueError('INVALID_ARGUMENT', `${what}${path}: ${issue?.message ?? 'invalid'}`);
}
