// replayDelivery, replayDeliveries and cancelDelivery: operator actions on the durable delivery queue (scope deliveries:replay).
import { GraphQLError } from 'graphql';
import { GatewayScope } from '../auth/index.js';
import type { OperatorUpdate } from '../delivery/index.js';
import { sagaAfterCancel, sagaReplayRefusal } from '../saga/index.js';
import type { MutationResolvers } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import { badInput, isNarrowing, toQueueFilter } from './delivery-filter-input.js';
import { MAX_DELIVERY_ID_LENGTH } from './delivery-query-resolvers.js';
import { callDeliveryQueue } from './delivery-queue-graphql-error.js';
import { GatewayErrorCode } from './gateway-error-code.js';
import { requireScope } from './require-scope.js';
import { type DeliveryObject, toDelivery } from './to-delivery.js';

type DeliveryMutationResolvers = Required<
  Pick<MutationResolvers<GatewayContext>, 'replayDelivery' | 'replayDeliveries' | 'cancelDelivery'>
>;

/**
 * Replays and cancels are not charged to the client's write limit: they only change the queue; the
 * upstream writes that follow are the worker's, paced by each target's rate limit and bulkhead.
 */
export const deliveryMutationResolvers: DeliveryMutationResolvers = {
  async replayDelivery(_parent, { id }, context) {
    requireScope(context, GatewayScope.DELIVERIES_REPLAY);
    const update = await operatorAction(context, id, async () => {
      const refusal = await sagaReplayRefusal(context.saga, id);
      if (!refusal) return context.deliveries.replay(id);
      const delivery = await context.deliveries.get(id);
      return delivery ? { outcome: 'refused', reason: refusal, delivery } : { outcome: 'not-found' };
    });
    context.logger.info({ deliveryId: id, outcome: update.outcome }, 'delivery replay asked');
    return toDeliveryOrThrow(update, id, 'replay', context);
  },

  async replayDeliveries(_parent, { filter }, context) {
    requireScope(context, GatewayScope.DELIVERIES_REPLAY);
    if (!isNarrowing(filter))
      throw badInput('replayDeliveries needs a filter with at least one field (e.g. state: DEAD)');
    const queueFilter = toQueueFilter(filter, context.targets);
    const count = await callDeliveryQueue(context.logger, () =>
      context.deliveries.replayMatching(queueFilter),
    );
    context.logger.info({ filter: queueFilter, count }, 'deliveries replayed');
    return count;
  },

  async cancelDelivery(_parent, { id }, context) {
    requireScope(context, GatewayScope.DELIVERIES_REPLAY);
    const update = await operatorAction(context, id, () => context.deliveries.cancel(id));
    context.logger.info({ deliveryId: id, outcome: update.outcome }, 'delivery cancel asked');
    if (update.outcome === 'updated') await sagaAfterCancel(context.saga, update.delivery);
    return toDeliveryOrThrow(update, id, 'cancel', context);
  },
};

/** Private: an id too long to exist is not found, without asking the queue. */
async function operatorAction(
  context: GatewayContext,
  id: string,
  action: () => Promise<OperatorUpdate>,
): Promise<OperatorUpdate> {
  if (id.length === 0 || id.length > MAX_DELIVERY_ID_LENGTH) return { outcome: 'not-found' };
  return callDeliveryQueue(context.logger, action);
}

/** Private: the changed delivery, or the coded error that says why nothing changed. */
function toDeliveryOrThrow(
  update: OperatorUpdate,
  id: string,
  action: 'replay' | 'cancel',
  context: GatewayContext,
): DeliveryObject {
  switch (update.outcome) {
    case 'updated':
    case 'cancel-requested':
      return toDelivery(update.delivery, context.targets);
    case 'refused':
      throw new GraphQLError(`cannot ${action} delivery ${id}: ${update.reason}`, {
        extensions: {
          code: GatewayErrorCode.DELIVERY_TRANSITION_REFUSED,
          state: update.delivery.state,
        },
      });
    case 'not-found':
      throw new GraphQLError(`no delivery has the id ${JSON.stringify(id)}`, {
        extensions: { code: GatewayErrorCode.DELIVERY_NOT_FOUND },
      });
  }
}
