// The saga's side of the delivery worker: rolls ALL_OR_NOTHING orders back as their writes settle, and after a crash.
import type { Delivery, DeliveryState, WriteSettlementObserver } from '../delivery/index.js';
import { mayHaveApplied } from './may-have-applied.js';
import { reconcileSaga, resolveThenUndo, type SagaDependencies } from './reconcile-saga.js';
import { sagaWritesOf } from './saga-members.js';

/** Page size of the recovery sweep. */
const SWEEP_PAGE = 200;

/**
 * - `beforeKill`: a saga write about to go DEAD after a failure that may have applied it (a timeout, a
 *   lost connection) first gets its resolve-then-undo compensation, committed; when that cannot be
 *   committed the worker postpones the write instead, so the rollback is never forgotten.
 * - `afterSettled`: reconciles the write's saga (reconcile-saga.ts) after the worker's commit.
 * - `recover`: at start, reconciles the saga of every DEAD or CANCELLED write, finishing a rollback that a
 *   crash interrupted between a write's settlement and its saga's reconciliation.
 */
export function createSagaWriteObserver(deps: SagaDependencies): WriteSettlementObserver {
  const logger = deps.logger.child({ component: 'saga' });
  const reconcile = async (writeIds: readonly string[], delivery: Delivery) => {
    try {
      await reconcileSaga({ ...deps, logger }, writeIds);
    } catch (error) {
      logger.error(
        { err: error, orderId: delivery.orderId, deliveryId: delivery.id },
        'saga could not reconcile after a write settled; the next start of a worker finishes it',
      );
    }
  };
  return {
    async beforeKill(delivery, failure) {
      if (!sagaWritesOf(delivery.payload) || !mayHaveApplied(delivery, failure)) return true;
      const compensation = resolveThenUndo(delivery);
      if (!compensation) return true;
      try {
        await deps.queue.enqueue([compensation]);
        return true;
      } catch (error) {
        logger.warn(
          { err: error, orderId: delivery.orderId, deliveryId: delivery.id },
          'saga could not record the resolution of a write that may have applied; the write is postponed',
        );
        return false;
      }
    },
    async afterSettled(delivery) {
      const writeIds = sagaWritesOf(delivery.payload);
      if (writeIds) await reconcile(writeIds, delivery);
    },
    async recover() {
      let sagas = 0;
      try {
        for (const state of ['DEAD', 'CANCELLED'] as const satisfies readonly DeliveryState[])
          sagas += await sweep(deps, state, reconcile);
        if (sagas > 0) logger.info({ sagas }, 'saga recovery: reconciled the sagas of failed writes');
      } catch (error) {
        logger.error({ err: error }, 'saga recovery failed; the next start of a worker tries again');
      }
    },
  };
}

/** Private: reconciles the saga of every write in `state`, each saga once; resolves with how many. */
async function sweep(
  deps: SagaDependencies,
  state: 'DEAD' | 'CANCELLED',
  reconcile: (writeIds: readonly string[], delivery: Delivery) => Promise<void>,
): Promise<number> {
  const seen = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const page = await deps.queue.list({ state, kind: 'write' }, { first: SWEEP_PAGE, after });
    for (const { delivery } of page.items) {
      const writeIds = sagaWritesOf(delivery.payload);
      const first = writeIds?.[0];
      if (!writeIds || first === undefined || seen.has(first)) continue;
      seen.add(first);
      await reconcile(writeIds, delivery);
    }
    if (!page.hasNextPage || page.endCursor === null) return seen.size;
    after = page.endCursor;
  }
}
