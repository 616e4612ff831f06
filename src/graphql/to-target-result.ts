// Maps a target's Outcome to its GraphQL union member: the target's success type, the failure's type, or DeliveryQueued.
import { type Failure, type Outcome, succeeded, UnreachableCaseError } from '../core/index.js';
import { clientFailureText } from '../delivery/index.js';
import type { QueuedDelivery } from '../fanout/index.js';
import type { AnyTargetModule, OrderAnswer } from '../targets/index.js';
import type { DeliveryQueued, ResolversInterfaceTypes, Target } from './__generated__/resolvers-types.js';

/** The failure members, shared by every target's union. */
export type FailureMember = ResolversInterfaceTypes<Record<string, unknown>>['TargetFailure'];

/** The member of a target whose write sits in the durable delivery queue. */
export type QueuedMember = DeliveryQueued & { readonly __typename: 'DeliveryQueued' };

/** A member of a target's result union as the iterating code sees it: its success member, a failure, or queued. */
export type ResultMember =
  | ReturnType<AnyTargetModule['graphql']['toSuccessMember']>
  | FailureMember
  | QueuedMember;

/** The target's success member for a success; the failure's member, naming the target, for a failure. */
export function toResultMember(module: AnyTargetModule, outcome: Outcome<OrderAnswer>): ResultMember {
  if (!outcome.ok) return toFailureMember(module.graphql.name as Target, outcome.failure);
  return module.graphql.toSuccessMember(outcome.value);
}

/** The DeliveryQueued member for a target's queued write (times as ISO 8601). */
export function toQueuedMember(module: AnyTargetModule, queued: QueuedDelivery): QueuedMember {
  return {
    __typename: 'DeliveryQueued',
    target: module.graphql.name as Target,
    deliveryId: queued.deliveryId,
    attempts: queued.attempts,
    nextAttemptAt: queued.nextAttemptAt === null ? null : new Date(queued.nextAttemptAt).toISOString(),
    lastFailure: queued.lastFailure === null ? null : clientFailureText(queued.lastFailure),
  };
}

/** Whether the member is DeliveryQueued: success members' type names are plain strings, so `__typename` alone does not narrow. */
export function isQueuedMember(member: ResultMember): member is QueuedMember {
  return member.__typename === 'DeliveryQueued';
}

/** The queued delivery an earlier run's DeliveryQueued member stands for; undefined for any other member. */
export function storedQueued(member: ResultMember): QueuedDelivery | undefined {
  if (!isQueuedMember(member)) return undefined;
  const nextAttemptAt = member.nextAttemptAt ? Date.parse(member.nextAttemptAt) : Number.NaN;
  return {
    deliveryId: member.deliveryId,
    attempts: member.attempts,
    nextAttemptAt: Number.isNaN(nextAttemptAt) ? null : nextAttemptAt,
    lastFailure: member.lastFailure ?? null,
  };
}

/**
 * The outcome an earlier run's success member stands for, replayed: a repeat of a retryable payload
 * keeps it instead of writing again. Failures give undefined (they are retried).
 */
export function storedSuccess(
  module: AnyTargetModule,
  member: ResultMember,
  orderId: string,
): Outcome<OrderAnswer> | undefined {
  if (member.__typename !== module.graphql.successTypename) return undefined;
  // Only the module's own success member carries its success type name.
  return succeeded(module.graphql.fromSuccessMember(member, orderId));
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
