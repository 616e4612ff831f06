// Mutation resolvers: validate, then start every target's write here (never in field resolvers).
import { GraphQLError } from 'graphql';
import { GatewayScope } from '../auth/index.js';
import { deadlineIn } from '../core/index.js';
import { createFanoutSession } from '../fanout/index.js';
import type { SendOptions } from '../targets/index.js';
import type { FanoutOptions, MutationResolvers } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import { GatewayErrorCode } from './gateway-error-code.js';
import { requireScope } from './require-scope.js';
import { runWithIdempotency } from './run-with-idempotency.js';
import { takeClientWrites, upstreamWrites } from './take-client-writes.js';
import { isFinalPayload, type PlaceOrderPayloadModel, settledSuccesses, toPayload } from './to-payload.js';
import {
  badInput,
  validateIdempotencyKeyHeader,
  validateOptions,
  validateOrder,
  validateOrders,
} from './validate-input.js';

export const mutationResolvers: MutationResolvers<GatewayContext> = {
  async placeOrder(_parent, { input, options }, context) {
    requireScope(context, GatewayScope.ORDERS_WRITE);
    const order = validateOrder(input, 'input');
    const send = sendOptions(options, context);
    const place = async (previous: PlaceOrderPayloadModel | undefined) => {
      const settled = settledSuccesses(previous);
      // Charged here, inside the keyed work: a replay from the idempotency store costs nothing.
      await takeClientWrites(context, upstreamWrites(context.targets, [settled]));
      const session = createFanoutSession(context.targets, send, context.metrics);
      return toPayload(await session.placeOrder(order, settled));
    };
    return runWithIdempotency(context, send, { operation: 'placeOrder', order }, place, isFinalPayload);
  },

  async placeOrders(_parent, { inputs, options }, context) {
    requireScope(context, GatewayScope.ORDERS_WRITE);
    if (inputs.length > context.maxOrdersPerRequest) {
      throw new GraphQLError(
        `inputs: ${inputs.length} orders exceed the limit of ${context.maxOrdersPerRequest} per request; split them across requests`,
        { extensions: { code: GatewayErrorCode.LIMIT_EXCEEDED, limit: context.maxOrdersPerRequest } },
      );
    }
    const orders = validateOrders(inputs);
    const send = sendOptions(options, context);
    const place = async (previous: PlaceOrderPayloadModel[] | undefined) => {
      const earlier = new Map(previous?.map((payload) => [payload.orderId, payload]));
      const settled = orders.map((order) => settledSuccesses(earlier.get(order.orderId)));
      await takeClientWrites(context, upstreamWrites(context.targets, settled));
      const session = createFanoutSession(context.targets, send, context.metrics);
      // Placing every order in the same tick lets each target's loader send them as one batch.
      const results = await Promise.all(
        orders.map((order, index) => session.placeOrder(order, settled[index])),
      );
      return results.map(toPayload);
    };
    const allFinal = (payloads: PlaceOrderPayloadModel[]) => payloads.every(isFinalPayload);
    return runWithIdempotency(context, send, { operation: 'placeOrders', orders }, place, allFinal);
  },
};

/**
 * Private: the deadline (counted from the start of the operation, so aliased mutations share it rather
 * than each getting their own), the caller, and the idempotency key from the options or the HTTP header
 * (validated alike; they must agree).
 */
function sendOptions(options: FanoutOptions | null | undefined, context: GatewayContext): SendOptions {
  const { deadlineMs, idempotencyKey } = validateOptions(options);
  const header = validateIdempotencyKeyHeader(context.idempotencyKeyHeader);
  if (idempotencyKey !== undefined && header !== undefined && idempotencyKey !== header) {
    throw badInput('options.idempotencyKey: differs from the Idempotency-Key header; send one key');
  }
  return {
    deadline: deadlineIn(deadlineMs ?? context.defaultDeadlineMs, context.operationStartedAt),
    client: context.client,
    idempotencyKey: idempotencyKey ?? header,
    requestId: context.requestId,
    logger: context.logger,
    traceContext: context.trace.context,
  };
}
