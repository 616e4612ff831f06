// Builds the PlaceOrderPayload for one order from the engine's result, and says whether it is final.
import { clientFailureText } from '../delivery/index.js';
import type {
  EarlierRun,
  FanoutResult,
  QueuedTargets,
  TargetCompensation,
  TargetOutcomes,
} from '../fanout/index.js';
import {
  type AnyTargetModule,
  anyTargetModules,
  type TargetId,
  type TargetModuleOf,
  type TargetSuccessMemberOf,
  targetModuleById,
} from '../targets/index.js';
import type { CompensationState, FanoutStatus, Target } from './__generated__/resolvers-types.js';
import {
  type FailureMember,
  type QueuedMember,
  type ResultMember,
  storedQueued,
  storedSuccess,
  toQueuedMember,
  toResultMember,
} from './to-target-result.js';

/** Each target's result member, under its payload field (the target id). */
export type TargetResultMembers = {
  readonly [Id in TargetId]: TargetSuccessMemberOf<Id> | FailureMember | QueuedMember;
};

/** One entry of the payload's `compensations` list, as resolvers return it. */
export interface TargetCompensationModel {
  readonly target: Target;
  readonly state: CompensationState;
  readonly deliveryId: string;
  readonly attempts: number;
  readonly lastFailure: string | null;
  readonly writeWasApplied: boolean | null;
}

/** The payload as resolvers return it (and as the idempotency store keeps it): plain JSON-safe data. */
export type PlaceOrderPayloadModel = {
  readonly orderId: string;
  readonly status: FanoutStatus;
  readonly durationMs: number;
  /** Idempotency records stored before ALL_OR_NOTHING existed lack it: resolvers.ts reads that as empty. */
  readonly compensations: TargetCompensationModel[];
} & TargetResultMembers;

// Every target's GraphQL name is a value of the SDL's Target enum: compiling fails otherwise. (Each success
// member is checked against its generated union where the resolvers return PlaceOrderPayloadModel.)
const namesAreTargetEnumValues: TargetModuleOf<TargetId>['graphql']['name'] extends Target ? true : false =
  true;
void namesAreTargetEnumValues;

export function toPayload(result: FanoutResult): PlaceOrderPayloadModel {
  const members = Object.fromEntries(
    anyTargetModules.map((module) => [module.id, targetMember(module, result)]),
  );
  return {
    orderId: result.orderId,
    status: result.status,
    // Each field holds the member its own module built from its own outcome.
    ...(members as TargetResultMembers),
    durationMs: Math.round(result.durationMs * 100) / 100,
    compensations: (result.compensations ?? []).map(toCompensationModel),
  };
}

/** Private: a saga's compensation entry under the target's GraphQL name. */
function toCompensationModel(entry: TargetCompensation): TargetCompensationModel {
  const module = targetModuleById(entry.target);
  // The saga only compensates registered targets; an unknown one is a bug, not an upstream failure.
  if (!module) throw new Error(`compensation ${entry.deliveryId}: unknown target ${entry.target}`);
  const lastFailure = entry.lastFailure === null ? null : clientFailureText(entry.lastFailure);
  return { ...entry, target: module.graphql.name as Target, lastFailure };
}

/** Private: the target's queued member when its write is queued, else the member of its outcome. */
function targetMember(module: AnyTargetModule, result: FanoutResult): ResultMember {
  const queued = result.queued[module.id];
  if (queued) return toQueuedMember(module, queued);
  const outcome = result.outcomes[module.id];
  // The engine settles every target it does not queue: a missing outcome is a bug, not an upstream failure.
  if (!outcome)
    throw new Error(`order ${result.orderId}: no outcome and no queued delivery for ${module.id}`);
  return toResultMember(module, outcome);
}

/** A payload is final when no target failed in a way a retry could fix; only final payloads are replayed. */
export function isFinalPayload(payload: PlaceOrderPayloadModel): boolean {
  return !anyTargetModules.some((module) => {
    const member: ResultMember = payload[module.id];
    return 'retryable' in member && member.retryable === true;
  });
}

/**
 * What an earlier, retryable payload for the same order already achieved: each target that succeeded,
 * so a repeat sends only to the others (and the kept successes say `replayed: true`).
 */
export function settledSuccesses(payload: PlaceOrderPayloadModel | undefined): Partial<TargetOutcomes> {
  if (!payload) return {};
  const settled = Object.fromEntries(
    anyTargetModules.map((module) => [module.id, storedSuccess(module, payload[module.id], payload.orderId)]),
  );
  // Each id holds its own module's stored success, or undefined.
  return settled as Partial<TargetOutcomes>;
}

/**
 * What an earlier, retryable payload for the same order settled: its successes (kept, `replayed: true`) and
 * its queued writes (still queued: the queue delivers them), so a repeat sends only to the other targets.
 */
export function earlierRunOf(payload: PlaceOrderPayloadModel | undefined): EarlierRun {
  if (!payload) return {};
  const queued = Object.fromEntries(
    anyTargetModules.map((module) => [module.id, storedQueued(payload[module.id])]),
  );
  // Each id holds the queued delivery its own member stood for, or undefined.
  return { outcomes: settledSuccesses(payload), queued: queued as QueuedTargets };
}
