// Subscription.deliveryUpdated: a delivery's state changes as they are committed (scope deliveries:read; graphql-ws only).
import { GraphQLError } from 'graphql';
import { GatewayScope } from '../auth/index.js';
import type { SubscriptionResolvers } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import { badInput } from './delivery-filter-input.js';
import { MAX_DELIVERY_ID_LENGTH } from './delivery-query-resolvers.js';
import {
  type DeliveryStreamItem,
  deliveryUpdateStream,
  UPDATES_OVERFLOWED,
} from './delivery-update-stream.js';
import { GatewayErrorCode } from './gateway-error-code.js';
import { requireScope } from './require-scope.js';
import { toDelivery } from './to-delivery.js';

/** Updates one subscriber may fall behind by before its subscription ends with LIMIT_EXCEEDED. */
export const MAX_BUFFERED_UPDATES = 1000;

export const deliverySubscriptionResolvers: Required<
  Pick<SubscriptionResolvers<GatewayContext>, 'deliveryUpdated'>
> = {
  deliveryUpdated: {
    subscribe(_parent, { orderId, deliveryId }, context) {
      requireScope(context, GatewayScope.DELIVERIES_READ);
      if (orderId == null && deliveryId == null)
        throw badInput('deliveryUpdated needs orderId, deliveryId or both');
      for (const value of [orderId, deliveryId])
        if (value != null && (value.length === 0 || value.length > MAX_DELIVERY_ID_LENGTH))
          throw badInput(`orderId and deliveryId must be 1 to ${MAX_DELIVERY_ID_LENGTH} characters`);
      return deliveryUpdateStream(
        context.deliveries,
        (delivery) =>
          (orderId == null || delivery.orderId === orderId) &&
          (deliveryId == null || delivery.id === deliveryId),
        { maxBuffered: MAX_BUFFERED_UPDATES },
      );
    },
    resolve(item: DeliveryStreamItem | undefined, _args: unknown, context: GatewayContext) {
      // Executed as a plain field (an HTTP request the transport rule should have refused): no event.
      if (item === undefined)
        throw new GraphQLError('subscriptions are served over graphql-ws (WebSocket) on this path', {
          extensions: { code: GatewayErrorCode.BAD_REQUEST },
        });
      if (item === UPDATES_OVERFLOWED)
        throw new GraphQLError(
          `this subscriber fell more than ${MAX_BUFFERED_UPDATES} updates behind, so the subscription ended; query the deliveries and subscribe again`,
          { extensions: { code: GatewayErrorCode.LIMIT_EXCEEDED } },
        );
      return toDelivery(item.delivery, context.targets);
    },
  },
};
