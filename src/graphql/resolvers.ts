// The resolver map handed to Apollo Server.
import type { Resolvers } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import { deliveryMutationResolvers } from './delivery-mutation-resolvers.js';
import { deliveryQueryResolvers } from './delivery-query-resolvers.js';
import { deliverySubscriptionResolvers } from './delivery-subscription-resolvers.js';
import { mutationResolvers } from './mutation-resolvers.js';
import { queryResolvers } from './query-resolvers.js';

export const resolvers: Resolvers<GatewayContext> = {
  Mutation: { ...mutationResolvers, ...deliveryMutationResolvers },
  Query: { ...queryResolvers, ...deliveryQueryResolvers },
  Subscription: deliverySubscriptionResolvers,
  PlaceOrderPayload: {
    // A payload replayed from an idempotency record written before the field existed has none: nothing was undone.
    compensations: (payload) => (payload as Partial<typeof payload>).compensations ?? [],
  },
};
