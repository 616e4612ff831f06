// Reads the GraphQL DeliveryFilter into the queue's filter: registry target ids, epoch-ms times, lower-case kinds.
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { DeliveryFilter as QueueDeliveryFilter } from '../delivery/index.js';
import type { TargetRegistry } from '../targets/index.js';
import type { DeliveryFilter } from './__generated__/resolvers-types.js';
import { GatewayErrorCode } from './gateway-error-code.js';

const isoDateTime = z.iso.datetime({ offset: true });

/** Longest `orderId` a filter may name: what an order id may be, with room (the queue allows 200). */
const MAX_ORDER_ID_LENGTH = 200;

/**
 * The queue filter for a GraphQL filter (absent: match everything).
 * @throws GraphQLError BAD_USER_INPUT for a time that is not an ISO 8601 date-time with a time zone, or an
 *   over-long order id
 */
export function toQueueFilter(
  filter: DeliveryFilter | null | undefined,
  targets: TargetRegistry,
): QueueDeliveryFilter {
  if (!filter) return {};
  const { orderId } = filter;
  if (orderId != null && (orderId.length === 0 || orderId.length > MAX_ORDER_ID_LENGTH))
    throw badInput(`filter.orderId must be 1 to ${MAX_ORDER_ID_LENGTH} characters`);
  return {
    state: filter.state ?? undefined,
    target: filter.target ? targetId(filter.target, targets) : undefined,
    orderId: orderId ?? undefined,
    kind: filter.kind ? (filter.kind === 'WRITE' ? 'write' : 'compensation') : undefined,
    createdAfter: epochMs(filter.createdAfter, 'createdAfter'),
    createdBefore: epochMs(filter.createdBefore, 'createdBefore'),
  };
}

/** Whether the filter sets at least one field (a bulk replay must say what it replays). */
export function isNarrowing(filter: DeliveryFilter): boolean {
  return Object.values(filter).some((value) => value !== null && value !== undefined);
}

/** Private: the registry id of a Target enum value (every value is a registered module's name). */
function targetId(target: string, targets: TargetRegistry): string {
  const registered = targets.targets.find(({ module }) => module.graphql.name === target);
  if (!registered) throw badInput(`filter.target ${target} is not configured on this gateway`);
  return registered.id;
}

function epochMs(value: string | null | undefined, field: string): number | undefined {
  if (value == null) return undefined;
  if (!isoDateTime.safeParse(value).success)
    throw badInput(
      `filter.${field} must be an ISO 8601 date-time with a time zone, e.g. 2026-11-30T12:00:00Z`,
    );
  const ms = Date.parse(value);
  if (ms < 0) throw badInput(`filter.${field} must not be before 1970`);
  return ms;
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: GatewayErrorCode.BAD_USER_INPUT } });
}
