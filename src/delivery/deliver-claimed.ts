// Sends one target's claimed deliveries through the target's client (writes as one batch call when batching, compensations one call each) and settles each.
import { deadlineIn, type Outcome } from '../core/index.js';
import type { OrderRequest, RegisteredTarget } from '../targets/index.js';
import { decideSettlement, type Settlement } from './decide-settlement.js';
import { deliverCompensations } from './deliver-compensations.js';
import type { ClaimedDelivery } from './delivery-queue.js';
import { type DeliverySpan, startDeliverySpan } from './delivery-span.js';
import { startLeaseHeartbeat } from './lease-heartbeat.js';
import { orderFromPayload } from './order-payload.js';
import { settleClaimedDelivery } from './settle-claimed-delivery.js';
import { WORKER_CLIENT, type WorkerContext } from './worker-context.js';

interface Sendable {
  readonly claimed: ClaimedDelivery;
  readonly request: OrderRequest;
  readonly span: DeliverySpan;
}

/**
 * Sends the claimed writes of one target as one `send` (the same client, policies and pool the
 * request path uses), each order carrying its delivery's stored upstream key, within `callDeadlineMs`;
 * the leases are extended while the call runs. Then settles every delivery by its outcome. Compensations
 * claimed with them go out at the same time, one `compensate` each (deliver-compensations.ts). Never rejects.
 */
export async function deliverClaimed(
  context: WorkerContext,
  target: RegisteredTarget,
  claimed: readonly ClaimedDelivery[],
  callDeadlineMs: number,
): Promise<void> {
  const sendable: Sendable[] = [];
  const compensations: ClaimedDelivery[] = [];
  const refused: Promise<unknown>[] = [];
  for (const item of claimed) {
    const { delivery } = item;
    context.logger.info(
      {
        deliveryId: delivery.id,
        target: delivery.target,
        orderId: delivery.orderId,
        state: 'IN_FLIGHT',
        attempts: delivery.attempts,
      },
      'delivery in flight',
    );
    if (delivery.kind === 'compensation') {
      compensations.push(item);
      continue;
    }
    const payload = orderFromPayload(delivery.payload);
    if (!payload.ok) {
      context.metrics.delivery.attempt(target.id, 'invalidPayload');
      refused.push(settleClaimedDelivery(context, item, { action: 'kill', failure: payload.problem }));
      continue;
    }
    const span = startDeliverySpan(delivery);
    const request = { order: payload.order, upstreamKey: delivery.upstreamKey, traceContext: span.context };
    sendable.push({ claimed: item, request, span });
  }
  await Promise.all([
    ...refused,
    sendAndSettle(context, target, sendable, callDeadlineMs),
    deliverCompensations(context, target, compensations, callDeadlineMs),
  ]);
}

/** Private: the one call, then each delivery's settlement. */
async function sendAndSettle(
  context: WorkerContext,
  target: RegisteredTarget,
  sendable: readonly Sendable[],
  callDeadlineMs: number,
): Promise<void> {
  if (sendable.length === 0) return;
  const heartbeat = startLeaseHeartbeat(
    context.queue,
    sendable.map(({ claimed }) => claimed),
    context.leaseMs,
    (deliveryId, problem) =>
      context.logger.warn(
        { deliveryId, target: target.id, problem: String(problem) },
        'could not extend a delivery lease',
      ),
  );
  let outcomes: Outcome<unknown>[];
  try {
    outcomes = await target.client.send(
      sendable.map(({ request }) => request),
      { deadline: deadlineIn(callDeadlineMs), client: WORKER_CLIENT, logger: context.logger },
    );
  } catch (error) {
    // send() settles every order and never rejects: this is a bug, so nothing is counted as an attempt.
    context.logger.error(
      { err: error, target: target.id },
      'the target client threw; the deliveries are postponed',
    );
    outcomes = [];
  } finally {
    heartbeat.stop();
  }
  await Promise.all(
    sendable.map(async ({ claimed, span }, index) => {
      const outcome = outcomes[index];
      const now = context.clock();
      let settlement: Settlement = outcome
        ? decideSettlement({
            outcome,
            attemptsBefore: claimed.delivery.attempts,
            now,
            schedule: context.schedule,
            postponeMs: context.postponeMs,
            resendIsKeyed: target.client.sendsIdempotencyKeys,
          })
        : { action: 'postpone', until: now + context.postponeMs, reason: 'the target client failed' };
      const label = outcome ? (outcome.ok ? 'success' : outcome.failure.kind) : 'error';
      context.metrics.delivery.attempt(target.id, label);
      const observer = context.writeObserver;
      if (observer && settlement.action === 'kill' && outcome && !outcome.ok) {
        // The attempt was sent, so it counts: QUEUED after an attempt is never mistaken for never sent.
        if (!(await observer.beforeKill(claimed.delivery, outcome.failure)))
          settlement = {
            action: 'retryLater',
            at: now + context.postponeMs,
            failure: `${settlement.failure} (kept: its saga could not record the rollback yet)`,
          };
      }
      const state = await settleClaimedDelivery(context, claimed, settlement);
      span.end(label, state, outcome && !outcome.ok ? outcome.failure.message : undefined);
      if (observer && (state === 'DELIVERED' || state === 'DEAD' || state === 'CANCELLED'))
        await observer.afterSettled(claimed.delivery);
    }),
  );
}
