// What an operator's replay or cancel of a saga's write means for its ALL_OR_NOTHING order.
import type { Delivery } from '../delivery/index.js';
import { reconcileSaga, resolveThenUndo, type SagaDependencies } from './reconcile-saga.js';
import { sagaWritesOf } from './saga-members.js';
import { isRollingBack, loadSaga } from './saga-view.js';

/**
 * Why replaying delivery `id` is refused, or undefined when it may be replayed: a write of an order that
 * is rolling back would only be applied to be undone again (its order is, by ALL_OR_NOTHING, nothing).
 * A compensation may always be replayed: that is how a NEEDS_ATTENTION order is finished.
 */
export async function sagaReplayRefusal(deps: SagaDependencies, id: string): Promise<string | undefined> {
  const delivery = await deps.queue.get(id);
  const writeIds = delivery?.kind === 'write' ? sagaWritesOf(delivery.payload) : undefined;
  if (!writeIds) return undefined;
  if (!isRollingBack(await loadSaga(deps.queue, writeIds))) return undefined;
  return 'its ALL_OR_NOTHING order is rolled back (or rolling back); a replayed write would be undone again: place the order anew';
}

/**
 * After an operator cancelled a saga's write: the order can no longer be "all", so it rolls back now
 * rather than when another write settles. A write that had attempts may have applied: it gets a
 * resolve-then-undo compensation first. Never rejects: a failure is logged, and the workers' recovery
 * sweep finishes the rollback.
 */
export async function sagaAfterCancel(deps: SagaDependencies, cancelled: Delivery): Promise<void> {
  const writeIds = cancelled.kind === 'write' ? sagaWritesOf(cancelled.payload) : undefined;
  if (!writeIds || cancelled.state !== 'CANCELLED') return;
  try {
    const resolution = cancelled.attempts > 0 ? resolveThenUndo(cancelled) : undefined;
    if (resolution) await deps.queue.enqueue([resolution]);
    await reconcileSaga(deps, writeIds);
  } catch (error) {
    deps.logger.error(
      { err: error, deliveryId: cancelled.id, orderId: cancelled.orderId },
      'saga could not roll back after a cancel; the workers finish it on their next recovery sweep',
    );
  }
}
