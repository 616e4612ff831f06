// A compensation for a write that may have been applied: learn whether it was (its delivery, or a resend with its key), then undo it.
import { type Outcome, succeeded } from '../core/index.js';
import type { CompensateOptions, OrderAnswer, RegisteredTarget } from '../targets/index.js';
import type { ResolveThenUndo } from './compensation-payload.js';
import { WORKER_CLIENT, type WorkerContext } from './worker-context.js';

/** What a compensation attempt came to: an answer to settle by, or "wait, the write is still being sent". */
export type CompensationAnswer =
  | { readonly kind: 'sent'; readonly outcome: Outcome<unknown> }
  | { readonly kind: 'wait'; readonly reason: string }
  /** Whether the write applied cannot be learned safely: the compensation goes DEAD, for an operator. */
  | { readonly kind: 'unresolvable'; readonly reason: string };

/** What a resolved compensation records as its result when the write turned out never to have been applied. */
export interface NotAppliedResult {
  readonly writeApplied: false;
  /** The upstream's rejection of the resent write: proof that it is not applied; absent when it was never sent. */
  readonly httpStatus?: number;
}

/**
 * Resolves the write, then undoes it:
 * 1. Its own delivery, when DELIVERED, holds the upstream's answer: that is undone, nothing is resent.
 * 2. While it is IN_FLIGHT (its worker is sending it), resending its key would race that call: wait.
 * 3. Otherwise it is resent with its own upstream key (a QUEUED one is cancelled first, so it is not sent
 *    twice more): an upstream that applied it replays the original answer, which carries the id to undo;
 *    one that never saw it applies it now, and it is undone just the same. A rejection proves it is not
 *    applied, which ends the compensation as done (`writeApplied: false`). A transient failure is the
 *    compensation's failure, retried on its schedule. A target that sends no Idempotency-Keys cannot be
 *    asked this way (the resend would apply the write a second time): unresolvable, for an operator.
 * Never rejects.
 */
export async function resolveThenUndo(
  context: WorkerContext,
  target: RegisteredTarget,
  resolve: ResolveThenUndo['resolve'],
  options: CompensateOptions,
): Promise<CompensationAnswer> {
  const write = await context.queue.get(resolve.writeDeliveryId).catch(() => undefined);
  if (write?.state === 'IN_FLIGHT')
    return { kind: 'wait', reason: 'the write it undoes is being sent; waiting for its answer' };
  if (write?.state === 'QUEUED') {
    const cancelled = await context.queue.cancel(write.id).catch(() => undefined);
    if (cancelled?.outcome !== 'updated')
      return { kind: 'wait', reason: 'the write it undoes could not be stopped yet; trying again' };
  }
  // No attempt counted: it never left the gateway (every sent attempt counts, a lease expiry included).
  if ((write?.state === 'QUEUED' || write?.state === 'CANCELLED') && write.attempts === 0) {
    const neverSent: NotAppliedResult = { writeApplied: false };
    return { kind: 'sent', outcome: succeeded(neverSent) };
  }
  if (!(write?.state === 'DELIVERED' && write.result !== null) && !target.client.sendsIdempotencyKeys)
    return {
      kind: 'unresolvable',
      reason: `the write may have been applied, and ${target.module.label} is sent no Idempotency-Key, so it cannot be resent to find out; check the upstream and undo it there if it applied; the gateway cannot confirm it, so its order stays NEEDS_ATTENTION`,
    };
  let value: OrderAnswer;
  if (write?.state === 'DELIVERED' && write.result !== null) {
    // The stored result is the JSON of this target's decoded success value (decide-settlement.ts).
    value = write.result as unknown as OrderAnswer;
  } else {
    const [resent] = await target.client.send(
      [{ order: resolve.order, upstreamKey: resolve.writeUpstreamKey, traceContext: options.traceContext }],
      { deadline: options.deadline, client: WORKER_CLIENT, logger: options.logger },
    );
    // send() answers one outcome per order; none is a bug, which the caller logs and postpones.
    if (!resent) throw new Error(`${target.id}: send answered no outcome for the resent write`);
    if (!resent.ok) {
      if (resent.failure.kind !== 'rejected') return { kind: 'sent', outcome: resent };
      const notApplied: NotAppliedResult = { writeApplied: false, httpStatus: resent.failure.httpStatus };
      return { kind: 'sent', outcome: succeeded(notApplied) };
    }
    value = resent.value;
  }
  const undone = await target.client.compensate(target.module.compensation(value), options);
  return { kind: 'sent', outcome: undone.ok ? succeeded({ writeApplied: true, ...undone.value }) : undone };
}
