// Where an ALL_OR_NOTHING order's undo of one target stands: what the payload's `compensations` list reports.

/** Where one target's compensation stands. */
export type CompensationState = 'COMPENSATED' | 'PENDING' | 'FAILED';

/** One target the saga had to undo (or to resolve, for a write that may have applied). */
export interface TargetCompensation {
  /** The target's registry id. */
  readonly target: string;
  readonly state: CompensationState;
  /** The compensation delivery: follow it with `delivery(id:)`, replay it when it went DEAD. */
  readonly deliveryId: string;
  readonly attempts: number;
  readonly lastFailure: string | null;
  /** COMPENSATED only: false when the write turned out never to have been applied (nothing was undone). */
  readonly writeWasApplied: boolean | null;
}
