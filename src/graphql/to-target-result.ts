// Maps a target's Outcome to its GraphQL union member: the success type, or the failure's type.
import type { ActivityRecord, StockDeduction } from '../targets/index.js';
import { type Failure, type Outcome, succeeded, UnreachableCaseError } from '../upstream/index.js';
import type { ResolversUnionTypes, Target } from './__generated__/resolvers-types.js';

type Union = ResolversUnionTypes<Record<string, unknown>>;
export type InventoryResultMember = Union['InventoryResult'];
export type CrmResultMember = Union['CrmResult'];
/** The failure members, shared by every target's union. */
export type FailureMember = Exclude<InventoryResultMember, { __typename: 'StockDeducted' }>;

export function toInventoryResult(outcome: Outcome<StockDeduction>): InventoryResultMember {
  if (!outcome.ok) return toFailureMember('INVENTORY', outcome.failure);
  const { deductionId, items, replayed, attempts } = outcome.value;
  return { __typename: 'StockDeducted', deductionId, items: [...items], replayed, attempts };
}

export function toCrmResult(outcome: Outcome<ActivityRecord>): CrmResultMember {
  if (!outcome.ok) return toFailureMember('CRM', outcome.failure);
  const { activityId, loggedAt, replayed, attempts } = outcome.value;
  return { __typename: 'ActivityLogged', activityId, loggedAt, replayed, attempts };
}

/**
 * The outcome an earlier run's success member stands for, replayed: a repeat of a retryable payload
 * keeps it instead of writing again. Failures give undefined (they are retried).
 */
export function storedInventorySuccess(
  member: InventoryResultMember,
  orderId: string,
): Outcome<StockDeduction> | undefined {
  if (member.__typename !== 'StockDeducted') return undefined;
  const { deductionId, items, attempts } = member;
  return succeeded({ orderId, deductionId, items, attempts, replayed: true });
}

/** Like storedInventorySuccess, for the CRM member. */
export function storedCrmSuccess(
  member: CrmResultMember,
  orderId: string,
): Outcome<ActivityRecord> | undefined {
  if (member.__typename !== 'ActivityLogged') return undefined;
  const { activityId, loggedAt, attempts } = member;
  return succeeded({ orderId, activityId, loggedAt, attempts, replayed: true });
}

/** One case per failure kind; adding a kind fails compilation here until it has a GraphQL type. */
export function toFailureMember(target: Target, failure: Failure): FailureMember {
  const common = {
    target,
    message: failure.message,
    retryable: failure.retryable,
    attempts: failure.attempts,
  };
  switch (failure.kind) {
    case 'rejected':
      return {
        __typename: 'UpstreamRejected',
        ...common,
        httpStatus: failure.httpStatus,
        code: failure.code ?? null,
      };
    case 'unavailable':
      return {
        __typename: 'UpstreamUnavailable',
        ...common,
        httpStatus: failure.httpStatus ?? null,
        retryAfterMs: failure.retryAfterMs ?? null,
      };
    case 'timeout':
      return { __typename: 'UpstreamTimeout', ...common, timeoutMs: failure.timeoutMs };
    case 'invalidResponse':
      return { __typename: 'InvalidUpstreamResponse', ...common, httpStatus: failure.httpStatus ?? null };
    case 'circuitOpen':
      return { __typename: 'CircuitOpen', ...common, retryAfterMs: failure.retryAfterMs ?? null };
    case 'rateLimited':
      return { __typename: 'RateLimited', ...common, retryAfterMs: failure.retryAfterMs ?? null };
    default:
      throw new UnreachableCaseError(failure);
  }
}
