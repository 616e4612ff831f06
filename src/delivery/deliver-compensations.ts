// Sends claimed compensation deliveries (saga undo) through the target's client, one call each, and settles them.
import { deadlineIn, type Outcome } from '../core/index.js';
import type { RegisteredTarget } from '../targets/index.js';
import { compensationFromPayload } from './compensation-payload.js';
import { decideSettlement, type Settlement } from './decide-settlement.js';
import type { ClaimedDelivery } from './delivery-queue.js';
import { type DeliverySpan, startDeliverySpan } from './delivery-span.js';
import { startLeaseHeartbeat } from './lease-heartbeat.js';
import { type CompensationAnswer, resolveThenUndo } from './resolve-then-undo.js';
import { settleClaimedDelivery } from './settle-claimed-delivery.js';
import type { WorkerContext } from './worker-context.js';

/**
 * Sends each claimed compensation (concurrently; the claim size bounds them) within `callDeadlineMs`:
 * the undo form with `compensate` (the target's own policies, the stored request, the delivery's
 * `upstreamKey` as its Idempotency-Key); the resolve form first learns whether the write applied
 * (resolve-then-undo.ts). Settles each by its outcome like a write, but on the compensation retry
 * schedule. A payload that is not a compensation can never be sent: it goes DEAD (and so raises the
 * alert). Used by the worker and by a saga inside its request. Never rejects.
 */
export async function deliverCompensations(
  context: WorkerContext,
  target: RegisteredTarget,
  claimed: readonly ClaimedDelivery[],
  callDeadlineMs: number,
): Promise<void> {
  await Promise.all(claimed.map((item) => deliverCompensation(context, target, item, callDeadlineMs)));
}

/** Private: one compensation: parse, call under a kept-alive lease, settle. */
async function deliverCompensation(
  context: WorkerContext,
  target: RegisteredTarget,
  item: ClaimedDelivery,
  callDeadlineMs: number,
): Promise<void> {
  const { delivery } = item;
  const payload = compensationFromPayload(delivery.payload);
  if (!payload.ok) {
    context.metrics.delivery.attempt(target.id, 'invalidPayload');
    await settleClaimedDelivery(context, item, { action: 'kill', failure: payload.problem });
    return;
  }
  const span = startDeliverySpan(delivery);
  const heartbeat = startLeaseHeartbeat(context.queue, [item], context.leaseMs, (deliveryId, problem) =>
    context.logger.warn(
      { deliveryId, target: target.id, problem: String(problem) },
      'could not extend a delivery lease',
    ),
  );
  let answer: CompensationAnswer | undefined;
  try {
    const options = {
      deadline: deadlineIn(callDeadlineMs),
      idempotencyKey: delivery.upstreamKey,
      logger: context.logger,
      traceContext: span.context,
    };
    answer =
      payload.form === 'undo'
        ? { kind: 'sent', outcome: await target.client.compensate(payload.request, options) }
        : await resolveThenUndo(context, target, payload.resolve, options);
  } catch (error) {
    // compensate() and send() settle and never reject: this is a bug, so nothing is counted as an attempt.
    context.logger.error(
      { err: error, target: target.id, deliveryId: delivery.id },
      'the target client threw; the compensation is postponed',
    );
  } finally {
    heartbeat.stop();
  }
  await settle(context, target, item, span, answer);
}

/** Private: the settlement of one compensation's answer, with its attempt counted and its span ended. */
async function settle(
  context: WorkerContext,
  target: RegisteredTarget,
  item: ClaimedDelivery,
  span: DeliverySpan,
  answer: CompensationAnswer | undefined,
): Promise<void> {
  const now = context.clock();
  if (answer?.kind === 'unresolvable') {
    context.metrics.delivery.attempt(target.id, 'unresolvable');
    const state = await settleClaimedDelivery(context, item, { action: 'kill', failure: answer.reason });
    span.end('unresolvable', state, answer.reason);
    return;
  }
  if (answer?.kind === 'wait') {
    // The write's own attempt is still running: resending its key now would race it. No attempt is spent.
    await settleClaimedDelivery(context, item, {
      action: 'postpone',
      until: now + context.postponeMs,
      reason: answer.reason,
    });
    span.end('postponed', 'QUEUED');
    return;
  }
  const outcome: Outcome<unknown> | undefined = answer?.outcome;
  const settlement: Settlement = outcome
    ? decideSettlement({
        outcome,
        attemptsBefore: item.delivery.attempts,
        now,
        schedule: context.compensationSchedule,
        postponeMs: context.postponeMs,
        // Undo is idempotent by contract (restore by deduction id, delete by activity id), and a resolve
        // resends the write only when the target sends keys (resolve-then-undo.ts).
        resendIsKeyed: true,
      })
    : { action: 'postpone', until: now + context.postponeMs, reason: 'the target client failed' };
  const label = outcome ? (outcome.ok ? 'success' : outcome.failure.kind) : 'error';
  context.metrics.delivery.attempt(target.id, label);
  const state = await settleClaimedDelivery(context, item, settlement);
  span.end(label, state, outcome && !outcome.ok ? outcome.failure.message : undefined);
}
