// The overall status of one order: did every target, some targets, or no target succeed, and is any write queued?

export type FanoutStatus =
  | 'SUCCEEDED'
  | 'PARTIALLY_SUCCEEDED'
  | 'FAILED'
  | 'ACCEPTED'
  /** ALL_OR_NOTHING (src/saga): a write failed for good and every write that applied was undone. */
  | 'ROLLED_BACK'
  /** ALL_OR_NOTHING: a write failed for good; undoing the others is queued. */
  | 'ROLLBACK_PENDING'
  /** ALL_OR_NOTHING: a compensation went DEAD: a write remains applied until an operator acts. */
  | 'NEEDS_ATTENTION';

/** Where one target's write stands once the mutation answers. */
export type TargetSettlement = 'succeeded' | 'queued' | 'failed';

/**
 * A queued write counts as "not failed" (it will be delivered or go DEAD): SUCCEEDED when every target
 * succeeded; ACCEPTED when none failed and at least one is queued; FAILED when every target failed;
 * PARTIALLY_SUCCEEDED otherwise (some failed, some succeeded or are queued).
 */
export function fanoutStatus(
  settlements: readonly TargetSettlement[],
): Extract<FanoutStatus, 'SUCCEEDED' | 'PARTIALLY_SUCCEEDED' | 'FAILED' | 'ACCEPTED'> {
  const failed = settlements.filter((settlement) => settlement === 'failed').length;
  const queued = settlements.filter((settlement) => settlement === 'queued').length;
  if (failed === 0) return queued === 0 ? 'SUCCEEDED' : 'ACCEPTED';
  return failed === settlements.length ? 'FAILED' : 'PARTIALLY_SUCCEEDED';
}
