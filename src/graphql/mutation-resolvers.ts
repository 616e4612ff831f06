// Mutation resolvers: validate, then start every target's write here (never in field resolvers).
import { GraphQLError } from 'graphql';
import { createFanoutSession, type FanoutResult } from '../fanout/index.js';
import type { SendOptions } from '../targets/index.js';
import { deadlineIn } from '../upstream/index.js';
import type { FanoutOptions, MutationResolvers, ResolversTypes } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import { GatewayErrorCode } from './gateway-error-code.js';
import type { GatewayTargets } from './gateway-targets.js';
import { toCrmResult, toInventoryResult } from './to-target-result.js';
import { validateOptions, validateOrder, validateOrders } from './validate-input.js';

type Payload = ResolversTypes['PlaceOrderPayload'];

export const mutationResolvers: MutationResolvers<GatewayContext> = {
  async placeOrder(_parent, { input, options }, context) {
    const order = validateOrder(input, 'input');
    const session = createFanoutSession(context.targets, sendOptions(options, context));
    return toPayload(await session.placeOrder(order));
  },

  async placeOrders(_parent, { inputs, options }, context) {
    if (inputs.length > context.maxOrdersPerRequest) {
      throw new GraphQLError(
        `inputs: ${inputs.length} orders exceed the limit of ${context.maxOrdersPerRequest} per request; split them across requests`,
        { extensions: { code: GatewayErrorCode.LIMIT_EXCEEDED, limit: context.maxOrdersPerRequest } },
      );
    }
    const orders = validateOrders(inputs);
    const session = createFanoutSession(context.targets, sendOptions(options, context));
    // Placing every order in the same tick lets each target's loader send them as one batch.
    const results = await Promise.all(orders.map((order) => session.placeOrder(order)));
    return results.map(toPayload);
  },
};

function sendOptions(options: FanoutOptions | null | undefined, context: GatewayContext): SendOptions {
  const { deadlineMs, idempotencyKey } = validateOptions(options);
  return { deadline: deadlineIn(deadlineMs ?? context.defaultDeadlineMs), idempotencyKey };
}

function toPayload(result: FanoutResult<GatewayTargets>): Payload {
  return {
    orderId: result.orderId,
    status: result.status,
    inventory: toInventoryResult(result.outcomes.inventory),
    crm: toCrmResult(result.outcomes.crm),
    durationMs: Math.round(result.durationMs * 100) / 100,
  };
}
