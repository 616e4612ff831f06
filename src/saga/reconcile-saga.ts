// Rolls an ALL_OR_NOTHING order back once any write failed for good: undo what applied, stop what is queued.
import {
  type ClaimedDelivery,
  compensationDelivery,
  type Delivery,
  type DeliveryQueue,
  type NewDelivery,
  orderFromPayload,
} from '../delivery/index.js';
import type { Logger } from '../observability/index.js';
import type { OrderAnswer, TargetRegistry } from '../targets/index.js';
import { isRollingBack, loadSaga, type SagaView } from './saga-view.js';

export interface SagaDependencies {
  readonly queue: DeliveryQueue;
  readonly registry: TargetRegistry;
  readonly logger: Logger;
}

export interface Reconciliation {
  /** The saga as stored after this pass. */
  readonly view: SagaView;
  /** The compensations this pass created claimed (only with `claimForMs`): the caller attempts them now. */
  readonly claimed: readonly ClaimedDelivery[];
}

/**
 * Brings the stored saga in line with the rule "all or nothing". While no write failed for good it does
 * nothing. Once one did (DEAD or CANCELLED), each other write gets, exactly once (compensation ids are
 * derived from the write's key, and `enqueue` is idempotent by id):
 * - DELIVERED: a compensation undoing the upstream's answer;
 * - QUEUED and never attempted: cancelled, nothing else — it never reached the upstream;
 * - QUEUED after failed attempts, or IN_FLIGHT: cancelled (an IN_FLIGHT one is marked) and given a
 *   resolve-then-undo compensation, because an attempt may have applied it;
 * - DEAD: nothing here (a write killed after a failure that may have applied got its resolve-then-undo
 *   compensation before the kill: the observer's `beforeKill`);
 * - CANCELLED after attempts with no compensation (an operator's cancel that took effect when an attempt
 *   ended, or a lease expiry): a resolve-then-undo compensation, because that attempt may have applied it.
 * Safe to run any number of times, by anyone, concurrently: every worker that settles a write of the
 * saga runs it after its own commit, so the last of them sees every write settled. Rejects with the
 * queue's error (the caller logs it; a restart's recovery runs it again).
 */
export async function reconcileSaga(
  deps: SagaDependencies,
  writeIds: readonly string[],
  options: { readonly claimForMs?: number } = {},
): Promise<Reconciliation> {
  const view = await loadSaga(deps.queue, writeIds);
  if (!isRollingBack(view)) return { view, claimed: [] };
  const compensations: NewDelivery[] = [];
  for (const { write, compensation } of view.members) {
    if (!write || compensation) continue;
    const next = await nextStep(deps, write);
    if (next) compensations.push({ ...next, claimForMs: options.claimForMs });
  }
  if (compensations.length === 0) return { view: await loadSaga(deps.queue, writeIds), claimed: [] };
  const enqueued = await deps.queue.enqueue(compensations);
  for (const { delivery, created } of enqueued)
    if (created)
      deps.logger.info(
        { deliveryId: delivery.id, orderId: delivery.orderId, target: delivery.target, kind: 'compensation' },
        'saga rolling back: compensation queued',
      );
  const claimed = enqueued.flatMap(({ delivery, claim }) => (claim ? [{ delivery, claim }] : []));
  return { view: await loadSaga(deps.queue, writeIds), claimed };
}

/** Private: what rolling back asks of one write that has no compensation yet. */
async function nextStep(deps: SagaDependencies, write: Delivery): Promise<NewDelivery | undefined> {
  switch (write.state) {
    case 'DELIVERED':
      return undoDelivered(deps, write);
    case 'QUEUED':
    case 'IN_FLIGHT': {
      await deps.queue.cancel(write.id);
      return write.state === 'QUEUED' && write.attempts === 0 ? undefined : resolveThenUndo(write);
    }
    case 'DEAD':
      return undefined;
    case 'CANCELLED':
      // Cancelled during an attempt (an operator's cancel-requested, or a lease expiry) and never given a
      // compensation: that attempt may have applied it.
      return write.attempts > 0 ? resolveThenUndo(write) : undefined;
  }
}

/** Private: the compensation of a delivered write, built by its target module from the stored answer. */
function undoDelivered(deps: SagaDependencies, write: Delivery): NewDelivery | undefined {
  const module = deps.registry.targetById(write.target)?.module;
  if (!module || write.result === null) {
    deps.logger.error(
      { deliveryId: write.id, orderId: write.orderId, target: write.target },
      'saga cannot undo a delivered write: its target is not registered or its answer is missing; it remains applied',
    );
    return undefined;
  }
  // The stored result is the JSON of this target's decoded success value (decide-settlement.ts).
  const request = module.compensation(write.result as unknown as OrderAnswer);
  return compensationDelivery({ ...fromWrite(write), request });
}

/**
 * The resolve-then-undo compensation of a write that may have been applied: the worker learns whether it
 * was (its delivery's answer, or a resend with its own key) and undoes it only then.
 * @returns undefined when the write's payload is not an order (it can never have been sent)
 */
export function resolveThenUndo(write: Delivery): NewDelivery | undefined {
  const payload = orderFromPayload(write.payload);
  if (!payload.ok) return undefined;
  const resolve = { writeDeliveryId: write.id, writeUpstreamKey: write.upstreamKey, order: payload.order };
  return compensationDelivery({ ...fromWrite(write), request: { resolve } });
}

/** Private: what a compensation takes over from the write it undoes. */
function fromWrite(write: Delivery) {
  return {
    orderId: write.orderId,
    target: write.target,
    writeUpstreamKey: write.upstreamKey,
    ...(write.clientId !== null && { clientId: write.clientId }),
    ...(write.traceparent !== null && { traceparent: write.traceparent }),
  };
}
