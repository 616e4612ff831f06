// What a saga's stored state means for the client: the order's status and, per target, whether its write was undone.
import type { Delivery } from '../delivery/index.js';
import type { CompensationState, FanoutStatus, TargetCompensation } from '../fanout/index.js';
import { isRollingBack, type SagaView } from './saga-view.js';

/** The statuses an ALL_OR_NOTHING order can have (never PARTIALLY_SUCCEEDED). */
export type SagaStatus = Exclude<FanoutStatus, 'PARTIALLY_SUCCEEDED'>;

export interface SagaOutcome {
  readonly status: SagaStatus;
  readonly compensations: readonly TargetCompensation[];
}

/**
 * The rules, from the stored deliveries alone (so the mutation's answer, a later read and a restart agree):
 * - no write failed for good: SUCCEEDED once every write is DELIVERED, else ACCEPTED (writes queued);
 * - rolling back: NEEDS_ATTENTION when a compensation went DEAD (or was cancelled): its write remains
 *   applied; ROLLBACK_PENDING while a compensation, or a write still being stopped, is unsettled, or a
 *   delivered write has no compensation yet (its reconcile has not run: a crash, a lost queue);
 *   ROLLED_BACK once every compensation is done; FAILED when nothing was ever applied (nothing to undo).
 */
export function sagaOutcome(view: SagaView): SagaOutcome {
  const compensations = view.members.flatMap(({ write, compensation }) =>
    write && compensation ? [targetCompensation(write, compensation)] : [],
  );
  if (!isRollingBack(view)) {
    const delivered = view.members.every(({ write }) => write?.state === 'DELIVERED');
    return { status: delivered ? 'SUCCEEDED' : 'ACCEPTED', compensations };
  }
  // A DELIVERED write without its compensation is applied and not yet undone (its reconcile has not run):
  // the rollback is pending, never FAILED ("nothing was applied").
  const unsettledWrite = view.members.some(
    ({ write, compensation }) =>
      !compensation &&
      (write?.state === 'QUEUED' || write?.state === 'IN_FLIGHT' || write?.state === 'DELIVERED'),
  );
  const stateOf = (state: CompensationState) => compensations.some((entry) => entry.state === state);
  const status = stateOf('FAILED')
    ? 'NEEDS_ATTENTION'
    : stateOf('PENDING') || unsettledWrite
      ? 'ROLLBACK_PENDING'
      : compensations.length > 0
        ? 'ROLLED_BACK'
        : 'FAILED';
  return { status, compensations };
}

/** Private: one compensation delivery as the client sees it. */
function targetCompensation(write: Delivery, compensation: Delivery): TargetCompensation {
  return {
    target: write.target,
    state: compensationState(compensation.state),
    deliveryId: compensation.id,
    attempts: compensation.attempts,
    lastFailure: compensation.lastFailure,
    writeWasApplied: compensation.state === 'DELIVERED' ? writeWasApplied(compensation) : null,
  };
}

/** Private: a DEAD or CANCELLED compensation leaves its write applied: that needs an operator. */
function compensationState(state: Delivery['state']): CompensationState {
  switch (state) {
    case 'DELIVERED':
      return 'COMPENSATED';
    case 'QUEUED':
    case 'IN_FLIGHT':
      return 'PENDING';
    case 'DEAD':
    case 'CANCELLED':
      return 'FAILED';
  }
}

/** Private: a resolved compensation records `writeApplied: false` when the resent write was rejected. */
function writeWasApplied(compensation: Delivery): boolean {
  const { result } = compensation;
  return !(
    typeof result === 'object' &&
    result !== null &&
    'writeApplied' in result &&
    result.writeApplied === false
  );
}
