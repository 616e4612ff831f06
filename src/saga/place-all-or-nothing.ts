// ALL_OR_NOTHING inside the request (SYNC, SYNC_OR_QUEUE): commit the writes claimed, send, settle, roll back, answer.

import { succeeded } from '../core/index.js';
import {
  type ClaimedDelivery,
  decideSettlement,
  deliverCompensations,
  describeDeliveryFailure,
  type Settlement,
  settleClaimedDelivery,
  startLeaseHeartbeat,
  type WorkerContext,
} from '../delivery/index.js';
import {
  type FanoutResult,
  type FanoutSession,
  OrderConflictError,
  payloadIsOrder,
  type QueuedDelivery,
  queuedDeliveryOf,
  type TargetOutcomes,
  writeDelivery,
} from '../fanout/index.js';
import type { Order, SendOptions, TargetId } from '../targets/index.js';
import { mayHaveApplied } from './may-have-applied.js';
import { reconcileSaga, resolveThenUndo } from './reconcile-saga.js';
import { joinSaga, sagaWritesOf } from './saga-members.js';
import { sagaOutcome } from './saga-outcome.js';
import { requestWorkerContext, type SagaRuntime } from './saga-runtime.js';
import { loadSaga, type SagaView } from './saga-view.js';

/**
 * 1. Commits one write delivery per target, joined in one saga and claimed by this request (so a crash
 *    from here on loses nothing: the leases expire and a worker resends them with the same keys).
 * 2. Sends them concurrently through `session` (a SYNC session: every outcome is reported; it does not
 *    count the order, which is counted here with its final status).
 * 3. Settles each write under its claim: a success DELIVERED; in SYNC every failure kills it (failed for
 *    good), in SYNC_OR_QUEUE a transient one queues it on the write schedule and a permanent one kills
 *    it. A write killed after a failure that may have applied it first gets a resolve-then-undo
 *    compensation.
 * 4. Reconciles the saga (reconcile-saga.ts) and attempts every compensation it created right away,
 *    within `rollbackBudgetMs` more (the request's own deadline length: an ALL_OR_NOTHING order answers
 *    within twice its deadline); what does not finish stays queued on the compensation schedule.
 * 5. Answers from the stored saga: each target's member as it answered (or DeliveryQueued), the status,
 *    and the compensations.
 * If the queue fails after the writes went out, the answer says what the request saw (SUCCEEDED when
 * every write applied, else ROLLBACK_PENDING): the writes' leases return them to the workers, which
 * resend them with the same keys and finish the saga.
 * @throws DeliveryQueueError when the writes cannot be committed (nothing was sent)
 * @throws OrderConflictError when a repeat names a saga of another order (nothing was sent)
 */
export async function placeAllOrNothing(
  runtime: SagaRuntime,
  order: Order,
  send: SendOptions,
  mode: 'SYNC' | 'SYNC_OR_QUEUE',
  session: FanoutSession,
  rollbackBudgetMs: number,
): Promise<FanoutResult> {
  const startedAt = performance.now();
  const targets = runtime.registry.targets;
  const writes = joinSaga(targets.map(({ id }) => writeDelivery(order, id, send)));
  const writeIds = writes.map(({ id }) => id);
  const enqueued = await runtime.queue.enqueue(
    writes.map((write) => ({ ...write, claimForMs: runtime.leaseMs })),
  );
  const claims = enqueued.flatMap(({ delivery, claim }) => (claim ? [{ delivery, claim }] : []));
  const context = requestWorkerContext(runtime);
  if (claims.length < writes.length) {
    // A repeat of an order whose saga exists (same client and key, or order id): nothing is sent again.
    // It must be this saga: the same order, in writes that belong to a saga (not the same order id placed
    // BEST_EFFORT, whose writes no rollback would ever touch).
    const conflict = enqueued.some(
      ({ delivery, created }) =>
        !created &&
        (!payloadIsOrder(delivery.payload, order) || sagaWritesOf(delivery.payload) === undefined),
    );
    // A conflicting repeat's own new writes (a target added since) are stopped: it is refused as a whole.
    if (conflict) await Promise.all(claims.map(({ delivery }) => runtime.queue.cancel(delivery.id)));
    await Promise.all(
      claims.map((item) =>
        settleClaimedDelivery(context, item, { action: 'postpone', until: Date.now(), reason: 'a repeat' }),
      ),
    );
    if (conflict) throw new OrderConflictError([order.orderId]);
    // Reconciled, not only read: finishes a rollback its first run could not (a crash, a lost queue).
    const { view } = await reconcileSaga(runtime, writeIds);
    return resultFrom(view, order, deliveredOutcomes(view), startedAt);
  }
  const heartbeat = startLeaseHeartbeat(runtime.queue, claims, runtime.leaseMs, (deliveryId, problem) =>
    runtime.logger.warn({ deliveryId, problem: String(problem) }, 'could not extend a saga write lease'),
  );
  let outcomes: Partial<TargetOutcomes>;
  try {
    outcomes = (await session.placeOrder(order)).outcomes;
  } finally {
    heartbeat.stop();
  }
  let result: FanoutResult;
  try {
    const resolutions = await Promise.all(
      claims.map((item) =>
        settleWrite(runtime, context, item, outcomes[item.delivery.target as TargetId], mode),
      ),
    );
    const { claimed } = await reconcileSaga(runtime, writeIds, { claimForMs: runtime.leaseMs });
    await rollBackNow(runtime, context, [...resolutions.flat(), ...claimed], rollbackBudgetMs);
    result = resultFrom(await loadSaga(runtime.queue, writeIds), order, outcomes, startedAt);
  } catch (error) {
    runtime.logger.error(
      { err: error, orderId: order.orderId },
      'saga lost the delivery queue after its writes went out; it is reconciled again once the queue answers',
    );
    // A settlement that timed out may still land (a paused Redis runs it later): then no lease expires and
    // no worker settles the write, so nobody would reconcile the saga before the next recovery sweep.
    reconcileLater(runtime, writeIds, order.orderId);
    result = unrecordedResult(order, outcomes, startedAt);
  }
  runtime.metrics.mutation(result.status, result.durationMs / 1000);
  return result;
}

/** How long a saga that lost the queue mid-request keeps trying to reconcile in the background. */
const RECONCILE_LATER_MS = 10 * 60_000;

/** Private: reconciles the saga in the background, with backoff, until one pass succeeds (or the recovery sweep's turn). */
function reconcileLater(runtime: SagaRuntime, writeIds: readonly string[], orderId: string): void {
  const giveUpAt = Date.now() + RECONCILE_LATER_MS;
  let waitMs = runtime.postponeMs;
  const attempt = async () => {
    try {
      await reconcileSaga(runtime, writeIds);
    } catch (error) {
      if (Date.now() > giveUpAt) {
        runtime.logger.error(
          { err: error, orderId },
          'saga still cannot reconcile; the recovery sweep finishes it',
        );
        return;
      }
      waitMs = Math.min(waitMs * 2, 30_000);
      setTimeout(() => void attempt(), waitMs).unref();
    }
  };
  setTimeout(() => void attempt(), waitMs).unref();
}

/** Private: the honest answer when the saga could not be recorded after sending: what the writes did. */
function unrecordedResult(order: Order, outcomes: Partial<TargetOutcomes>, startedAt: number): FanoutResult {
  const applied = Object.values(outcomes).every((outcome) => outcome?.ok === true);
  return {
    orderId: order.orderId,
    status: applied ? 'SUCCEEDED' : 'ROLLBACK_PENDING',
    outcomes,
    queued: {},
    durationMs: performance.now() - startedAt,
    compensations: [],
  };
}

/**
 * Private: settles one claimed write by its outcome; resolves with the resolve-then-undo compensation it
 * committed claimed (a write killed after a failure that may have applied it), if any.
 */
async function settleWrite(
  runtime: SagaRuntime,
  context: WorkerContext,
  item: ClaimedDelivery,
  outcome: TargetOutcomes[TargetId] | undefined,
  mode: 'SYNC' | 'SYNC_OR_QUEUE',
): Promise<ClaimedDelivery[]> {
  const now = Date.now();
  if (!outcome) {
    // The session settles every target; a missing outcome is a bug: the worker resends the write.
    await settleClaimedDelivery(context, item, { action: 'postpone', until: now, reason: 'no outcome' });
    return [];
  }
  let settlement: Settlement =
    outcome.ok || mode === 'SYNC_OR_QUEUE'
      ? decideSettlement({
          outcome,
          attemptsBefore: item.delivery.attempts,
          now,
          schedule: runtime.schedule,
          postponeMs: runtime.postponeMs,
          resendIsKeyed:
            runtime.registry.targetById(item.delivery.target)?.client.sendsIdempotencyKeys ?? false,
        })
      : { action: 'kill', failure: describeDeliveryFailure(outcome.failure) };
  if (
    !outcome.ok &&
    mode === 'SYNC' &&
    (outcome.failure.kind === 'circuitOpen' || outcome.failure.attempts === 0)
  ) {
    // Nothing left the gateway (open circuit, local limit, full bulkhead): it fails for good without an
    // attempt, as CANCELLED, so "attempts 0" keeps meaning never sent and no later step (an operator's
    // cancel, a reconcile) resends it to learn whether it applied.
    await runtime.queue.cancel(item.delivery.id);
    settlement = { action: 'postpone', until: now, reason: describeDeliveryFailure(outcome.failure) };
  }
  const resolutions: ClaimedDelivery[] = [];
  if (settlement.action === 'kill' && !outcome.ok && mayHaveApplied(item.delivery, outcome.failure)) {
    const resolution = resolveThenUndo(item.delivery);
    try {
      const [entry] = resolution
        ? await runtime.queue.enqueue([{ ...resolution, claimForMs: runtime.leaseMs }])
        : [];
      if (entry?.claim) resolutions.push({ delivery: entry.delivery, claim: entry.claim });
    } catch (error) {
      runtime.logger.warn(
        { err: error, deliveryId: item.delivery.id, orderId: item.delivery.orderId },
        'saga could not record the resolution of a write that may have applied; a worker resends the write',
      );
      // The write was sent, so the attempt counts (QUEUED after an attempt is never taken for never sent).
      settlement = {
        action: 'retryLater',
        at: now,
        failure: `${describeDeliveryFailure(outcome.failure)} (kept: its saga could not record the rollback yet)`,
      };
    }
  }
  await settleClaimedDelivery(context, item, settlement);
  return resolutions;
}

/** Private: attempts the claimed compensations now, each target's at once, within the rollback budget. */
async function rollBackNow(
  runtime: SagaRuntime,
  context: WorkerContext,
  compensations: readonly ClaimedDelivery[],
  budgetMs: number,
): Promise<void> {
  await Promise.all(
    runtime.registry.targets.map((target) => {
      const mine = compensations.filter(({ delivery }) => delivery.target === target.id);
      return deliverCompensations(context, target, mine, budgetMs);
    }),
  );
}

/**
 * Private: a repeat's view of what the first run achieved: each DELIVERED write's stored answer, as a
 * replayed success (the stored result is the JSON of the target's success value, decide-settlement.ts).
 */
function deliveredOutcomes(view: SagaView): Partial<TargetOutcomes> {
  const outcomes: Record<string, unknown> = {};
  for (const { write } of view.members)
    if (write?.state === 'DELIVERED' && typeof write.result === 'object' && write.result !== null)
      outcomes[write.target] = succeeded({ ...write.result, replayed: true });
  // Each entry holds its own target's stored success value.
  return outcomes as Partial<TargetOutcomes>;
}

/** Private: the answer from the stored saga and the outcomes this request saw. */
function resultFrom(
  view: SagaView,
  order: Order,
  outcomes: Partial<TargetOutcomes>,
  startedAt: number,
): FanoutResult {
  const { status, compensations } = sagaOutcome(view);
  const queued: Partial<Record<TargetId, QueuedDelivery>> = {};
  for (const { write } of view.members) {
    if (!write) continue;
    const id = write.target as TargetId;
    const unsettled = write.state === 'QUEUED' || write.state === 'IN_FLIGHT';
    // A write still on its way is queued; so is a repeat's write that did not deliver (its failure is in
    // the delivery: `lastFailure`).
    if (unsettled || outcomes[id] === undefined) queued[id] = queuedDeliveryOf(write);
  }
  return {
    orderId: order.orderId,
    status,
    outcomes,
    queued,
    durationMs: performance.now() - startedAt,
    compensations,
  };
}
