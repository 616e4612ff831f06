// Mutation resolvers: validate, then start every target's write here (never in field resolvers).
import { GraphQLError } from 'graphql';
import { createFanoutSession } from '../fanout/index.js';
import type { SendOptions } from '../targets/index.js';
import { deadlineIn } from '../upstream/index.js';
import type { FanoutOptions, MutationResolvers } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import { GatewayErrorCode } from './gateway-error-code.js';
import { runWithIdempotency } from './run-with-idempotency.js';
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
    const order = validateOrder(input, 'input');
    const send = sendOptions(options, context);
    const place = async (previous: PlaceOrderPayloadModel | undefined) => {
      const session = createFanoutSession(context.targets, send, context.metrics);
      return toPayload(await session.placeOrder(order, settledSuccesses(previous)));
    };
    return runWithIdempotency(context, send, { operation: 'placeOrder', order }, place, isFinalPayload);
  },

  async placeOrders(_parent, { inputs, options }, context) {
    if (inputs.length > context.maxOrdersPerRequest) {
      throw new GraphQLError(
        `inputs: ${inputs.length} orders exceed the limit of ${context.maxOrdersPerRequest} per request; split them across requests`,
        { extensions: { code: GatewayErrorCode.LIMIT_EXCEEDED, limit: context.maxOrdersPerRequest } },
      );
    }
    const orders = validateOrders(inputs);
    const send = sendOptions(options, context);
    const place = async (previous: PlaceOrderPayloadModel[] | undefined) => {
      const session = createFanoutSession(context.targets, send, context.metrics);
      const earlier = new Map(previous?.map((payload) => [payload.orderId, payload]));
      // Placing every order in the same tick lets each target's loader send them as one batch.
      const results = await Promise.all(
        orders.map((order) => session.placeOrder(order, settledSuccesses(earlier.get(order.orderId)))),
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
