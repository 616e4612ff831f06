// Query.delivery and Query.deliveries: read the durable delivery queue (scope deliveries:read).
import { GatewayScope } from '../auth/index.js';
import { MAX_PAGE_SIZE } from '../delivery/index.js';
import type { QueryResolvers } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import { badInput, toQueueFilter } from './delivery-filter-input.js';
import { callDeliveryQueue } from './delivery-queue-graphql-error.js';
import { requireScope } from './require-scope.js';
import { toDelivery } from './to-delivery.js';

/** Longest delivery id the queue stores; a longer one cannot name a delivery. */
export const MAX_DELIVERY_ID_LENGTH = 200;

/** Longest `after` cursor accepted (the queue's own are far shorter). */
const MAX_CURSOR_LENGTH = 64;

type DeliveryQueryResolvers = Required<Pick<QueryResolvers<GatewayContext>, 'delivery' | 'deliveries'>>;

export const deliveryQueryResolvers: DeliveryQueryResolvers = {
  async delivery(_parent, { id }, context) {
    requireScope(context, GatewayScope.DELIVERIES_READ);
    if (id.length === 0 || id.length > MAX_DELIVERY_ID_LENGTH) return null;
    const delivery = await callDeliveryQueue(context.logger, () => context.deliveries.get(id));
    return delivery ? toDelivery(delivery, context.targets) : null;
  },

  async deliveries(_parent, { filter, first, after }, context) {
    requireScope(context, GatewayScope.DELIVERIES_READ);
    const size = first ?? 50;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
      throw badInput(`first must be from 1 to ${MAX_PAGE_SIZE}`);
    if (after != null && (after.length === 0 || after.length > MAX_CURSOR_LENGTH))
      throw badInput('the `after` cursor is not one this list returned');
    const queueFilter = toQueueFilter(filter, context.targets);
    const page = await callDeliveryQueue(context.logger, () =>
      context.deliveries.list(queueFilter, { first: size, after: after ?? undefined }),
    );
    const edges = page.items.map(({ cursor, delivery }) => ({
      __typename: 'DeliveryEdge' as const,
      cursor,
      node: toDelivery(delivery, context.targets),
    }));
    return {
      __typename: 'DeliveryConnection',
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: {
        __typename: 'PageInfo',
        hasNextPage: page.hasNextPage,
        hasPreviousPage: false,
        startCursor: page.items[0]?.cursor ?? null,
        endCursor: page.endCursor,
      },
    };
  },
};
