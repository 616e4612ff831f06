// Builds the durable compensation delivery that undoes one write, following the agreed data contract.
import { createHash } from 'node:crypto';
import { compensationIdempotencyKey } from '../targets/index.js';
import { type CompensationPayload, compensationPayload } from './compensation-payload.js';
import type { NewDelivery } from './delivery-queue.js';

/** What the saga knows about the write it undoes, and how the compensation was tried so far. */
export interface CompensationDeliveryInput {
  readonly orderId: string;
  /** The target's registry id, e.g. `inventory`. */
  readonly target: string;
  /** The write's own upstream key (its delivery's `upstreamKey`, or `upstreamIdempotencyKey(...)` for a SYNC write). */
  readonly writeUpstreamKey: string;
  /**
   * The target module's compensation for the write's success value (`module.compensation(value)`), or the
   * resolve-then-undo form for a write that may have been applied (see CompensationPayload).
   */
  readonly request: CompensationPayload;
  readonly clientId?: string;
  /** W3C traceparent of the mutation (or delivery) whose failure started the rollback. */
  readonly traceparent?: string;
  /** Attempts already made inside the request. @default 0 */
  readonly attempts?: number;
  /** The failure that made the saga queue it. */
  readonly lastFailure?: string;
  /** Epoch ms. @default now (the queue's clock) */
  readonly nextAttemptAt?: number;
  /** Create it claimed by the caller, who attempts it at once (see NewDelivery.claimForMs). */
  readonly claimForMs?: number;
}

/**
 * The delivery id for an upstream key: `dlv_` + base64url(sha256(kind + ':' + upstreamKey)), writes and compensations alike.
 * Deterministic, so enqueueing the same write's compensation twice (a retried rollback, a restart that resumes
 * it) finds the first one instead of creating another.
 */
export function deliveryIdFor(kind: NewDelivery['kind'], upstreamKey: string): string {
  return `dlv_${createHash('sha256').update(`${kind}:${upstreamKey}`).digest('base64url')}`;
}

/**
 * The compensation delivery of one write: `upstreamKey` is the compensation's own Idempotency-Key
 * (`compensationIdempotencyKey(writeUpstreamKey)`, the key `compensate` must be given inside the request
 * too), `id` is `deliveryIdFor('compensation', upstreamKey)`, `payload` the compensation request.
 */
export function compensationDelivery(input: CompensationDeliveryInput): NewDelivery {
  const upstreamKey = compensationIdempotencyKey(input.writeUpstreamKey);
  return {
    id: deliveryIdFor('compensation', upstreamKey),
    kind: 'compensation',
    orderId: input.orderId,
    target: input.target,
    upstreamKey,
    payload: compensationPayload(input.request),
    traceparent: input.traceparent,
    clientId: input.clientId,
    attempts: input.attempts,
    lastFailure: input.lastFailure,
    nextAttemptAt: input.nextAttemptAt,
    claimForMs: input.claimForMs,
  };
}
