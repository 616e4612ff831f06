// Maps a stored delivery to the GraphQL `Delivery`: ISO times, the Target enum, and its result as the target's success member.
import { GraphQLError } from 'graphql';
import type { JsonValue, Delivery as StoredDelivery } from '../delivery/index.js';
import type { OrderAnswer, TargetRegistry } from '../targets/index.js';
import type { DeliveryKind, ResolversParentTypes, Target } from './__generated__/resolvers-types.js';
import { GatewayErrorCode } from './gateway-error-code.js';

/** `Delivery` as resolvers return it. */
export type DeliveryObject = ResolversParentTypes['Delivery'];
type DeliveryResultMember = NonNullable<DeliveryObject['result']>;

const KINDS: Readonly<Record<StoredDelivery['kind'], DeliveryKind>> = {
  write: 'WRITE',
  compensation: 'COMPENSATION',
};

/**
 * The GraphQL view of a stored delivery.
 * @throws GraphQLError INTERNAL_SERVER_ERROR when it names a target this gateway no longer has
 */
export function toDelivery(delivery: StoredDelivery, targets: TargetRegistry): DeliveryObject {
  const registered = targets.targetById(delivery.target);
  if (!registered)
    throw new GraphQLError(
      `delivery ${delivery.id} is for target "${delivery.target}", which is not configured`,
      {
        extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR },
      },
    );
  return {
    __typename: 'Delivery',
    id: delivery.id,
    orderId: delivery.orderId,
    // Each module's name is a Target enum value (checked at compile time in to-payload.ts).
    target: registered.module.graphql.name as Target,
    kind: KINDS[delivery.kind],
    state: delivery.state,
    attempts: delivery.attempts,
    createdAt: isoTime(delivery.createdAt),
    updatedAt: isoTime(delivery.updatedAt),
    nextAttemptAt: delivery.nextAttemptAt === null ? null : isoTime(delivery.nextAttemptAt),
    deliveredAt: delivery.deliveredAt === null ? null : isoTime(delivery.deliveredAt),
    lastFailure: delivery.lastFailure,
    cancelRequested: delivery.cancelRequested,
    result:
      delivery.kind === 'write'
        ? resultMember(delivery.result, registered.module)
        : writeUndone(delivery.result),
  };
}

/**
 * Private: the stored result is the success value the target's decoder returned (the agreed data
 * contract), so the module's own GraphQL mapping turns it into its success member. Anything that is not
 * an object answering this order (a row written by something else) is no result rather than a guess.
 */
function resultMember(
  result: JsonValue | null,
  module: NonNullable<ReturnType<TargetRegistry['targetById']>>['module'],
): DeliveryResultMember | null {
  if (!isOrderAnswer(result)) return null;
  // The registered modules' success members are exactly the DeliveryResult union's members.
  return module.graphql.toSuccessMember(result) as DeliveryResultMember;
}

/**
 * Private: a delivered compensation's stored result (send-compensation.ts's CompensationResult, or
 * resolve-then-undo.ts's `{ writeApplied, ... }`) as WriteUndone; anything else is no result.
 */
function writeUndone(result: JsonValue | null): DeliveryResultMember | null {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return null;
  const { httpStatus, replayed, writeApplied } = result as { readonly [key: string]: JsonValue };
  const neverSent = writeApplied === false && httpStatus === undefined;
  if (typeof httpStatus !== 'number' && !neverSent) return null;
  return {
    __typename: 'WriteUndone',
    httpStatus: typeof httpStatus === 'number' ? httpStatus : null,
    replayed: replayed === true,
    writeWasApplied: writeApplied !== false,
  };
}

function isOrderAnswer(value: JsonValue | null): value is JsonValue & OrderAnswer {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'orderId' in value;
}

function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
