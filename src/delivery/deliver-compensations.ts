// Sends claimed compensation deliveries (saga undo) through the target's client, one call each, and settles them.
import { deadlineIn, type Outcome } from '../core/index.js';
import type { CompensationResult, RegisteredTarget } from '../targets/index.js';
import { compensationFromPayload } from './compensation-payload.js';
import { decideSettlement, type Settlement } from './decide-settlement.js';
import type { ClaimedDelivery } from './delivery-queue.js';
import { startDeliverySpan } from './delivery-span.js';
import { startLeaseHeartbeat } from './lease-heartbeat.js';
import { settleClaimedDelivery } from './settle-claimed-delivery.js';
import type { WorkerContext } from './worker-context.js';

/**
 * Sends each claimed compensation (concurrently; the claim size bounds them) with `compensate`: the
 * target's own policies, the stored request, the delivery's `upstreamKey` as its Idempotency-Key, within
 * `callDeadlineMs`. Settles each by its outcome like a write, but on the compensation retry schedule. A
 * payload that is not a compensation request can never be sent: it goes DEAD (and so raises the alert).
 * Never rejects.
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
  let outcome: Outcome<CompensationResult> | undefined;
  try {
    outcome = await target.client.compensate(payload.request, {
      deadline: deadlineIn(callDeadlineMs),
      idempotencyKey: delivery.upstreamKey,
      logger: context.logger,
      traceContext: span.context,
    });
  } catch (error) {
    // compensate() settles and never rejects: this is a bug, so nothing is counted as an attempt.
    context.logger.error(
      { err: error, target: target.id, deliveryId: delivery.id },
      'the target client threw; the compensation is postponed',
    );
  } finally {
    heartbeat.stop();
  }
  const now = context.clock();
  const settlement: Settlement = outcome
    ? decideSettlement({
        outcome,
        attemptsBefore: delivery.attempts,
        now,
        schedule: context.compensationSchedule,
        postponeMs: context.postponeMs,
      })
    : { action: 'postpone', until: now + context.postponeMs, reason: 'the target client failed' };
  const label = outcome ? (outcome.ok ? 'success' : outcome.failure.kind) : 'error';
  context.metrics.delivery.attempt(target.id, label);
  const state = await settleClaimedDelivery(context, item, settlement);
  span.end(label, state, outcome && !outcome.ok ? outcome.failure.message : undefined);
}
