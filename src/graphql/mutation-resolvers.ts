// Mutation resolvers: validate, then start every target's write here (never in field resolvers).
import { GraphQLError } from 'graphql';
import { GatewayScope } from '../auth/index.js';
import { deadlineIn } from '../core/index.js';
import {
  acceptOrders,
  createFanoutSession,
  type DeliveryMode,
  type FanoutResult,
  type FanoutSession,
  OrderConflictError,
} from '../fanout/index.js';
import { joinSaga, loadSaga, placeAllOrNothing, sagaOutcome, sagaWritesOf } from '../saga/index.js';
import type { Order, SendOptions } from '../targets/index.js';
import type { Consistency, FanoutOptions, MutationResolvers } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import { deliveryQueueGraphQLError } from './delivery-queue-graphql-error.js';
import { GatewayErrorCode } from './gateway-error-code.js';
import { requireScope } from './require-scope.js';
import { runWithIdempotency } from './run-with-idempotency.js';
import { takeClientWrites, upstreamWrites } from './take-client-writes.js';
import { earlierRunOf, isFinalPayload, type PlaceOrderPayloadModel, toPayload } from './to-payload.js';
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
    const { send, delivery, consistency } = sendOptions(options, context);
    const place = async (previous: PlaceOrderPayloadModel | undefined) => {
      const earlier = consistency === 'ALL_OR_NOTHING' ? {} : earlierRunOf(previous);
      // Charged here, inside the keyed work: a replay from the idempotency store costs nothing.
      await takeClientWrites(context, upstreamWrites(context.targets, [earlier]));
      if (delivery === 'ASYNC') return toPayload(only(await accept([order], send, context, consistency)));
      const session = fanoutSession(delivery, consistency, send, context);
      if (consistency === 'ALL_OR_NOTHING')
        return toPayload(await allOrNothing(order, send, delivery, session, context));
      return toPayload(await session.placeOrder(order, earlier));
    };
    const request = { operation: 'placeOrder', order, ...modeOf(delivery, consistency) };
    return runWithIdempotency(context, send, request, place, finalFor(consistency, isFinalPayload));
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
    const { send, delivery, consistency } = sendOptions(options, context);
    const place = async (previous: PlaceOrderPayloadModel[] | undefined) => {
      const payloads = new Map(previous?.map((payload) => [payload.orderId, payload]));
      const earlier = orders.map((order) =>
        consistency === 'ALL_OR_NOTHING' ? {} : earlierRunOf(payloads.get(order.orderId)),
      );
      await takeClientWrites(context, upstreamWrites(context.targets, earlier));
      if (delivery === 'ASYNC') return (await accept(orders, send, context, consistency)).map(toPayload);
      const session = fanoutSession(delivery, consistency, send, context);
      // Placing every order in the same tick lets each target's loader send them as one batch.
      if (consistency === 'ALL_OR_NOTHING')
        return (await allOrNothingEach(orders, send, delivery, session, context)).map(toPayload);
      const results = await Promise.all(
        orders.map((order, index) => session.placeOrder(order, earlier[index])),
      );
      return results.map(toPayload);
    };
    const allFinal = (payloads: PlaceOrderPayloadModel[]) => payloads.every(isFinalPayload);
    const request = { operation: 'placeOrders', orders, ...modeOf(delivery, consistency) };
    return runWithIdempotency(context, send, request, place, finalFor(consistency, allFinal));
  },
};

/**
 * Private: ASYNC. Commits every order × target to the delivery queue before answering.
 * @throws GraphQLError DELIVERY_QUEUE_UNAVAILABLE when the queue cannot be written (nothing queued or sent)
 */
async function accept(
  orders: readonly Order[],
  send: SendOptions,
  context: GatewayContext,
  consistency: Consistency,
): Promise<FanoutResult[]> {
  const join = consistency === 'ALL_OR_NOTHING' ? joinSaga : undefined;
  try {
    const accepted = await acceptOrders(
      orders,
      context.targets,
      context.deliveries,
      send,
      context.metrics,
      join,
    );
    if (consistency === 'BEST_EFFORT') return accepted;
    // A repeat of an ALL_OR_NOTHING order answers how its saga stands now, as under SYNC.
    const settled = await Promise.allSettled(accepted.map((result) => withSagaState(context, result)));
    const conflicts = settled.flatMap((entry) =>
      entry.status === 'rejected' && entry.reason instanceof OrderConflictError ? entry.reason.orderIds : [],
    );
    if (conflicts.length > 0) throw new OrderConflictError(conflicts, conflicts.length < orders.length);
    return settled.map((entry) => {
      if (entry.status === 'rejected') throw entry.reason;
      return entry.value;
    });
  } catch (error) {
    throw orderConflictGraphQLError(error) ?? deliveryQueueGraphQLError(context.logger, error);
  }
}

/**
 * Private: an accepted ALL_OR_NOTHING order with its saga's stored status and compensations.
 * @throws OrderConflictError when the order id was placed before BEST_EFFORT: its writes belong to no saga,
 *   so no rollback would ever touch them
 */
async function withSagaState(context: GatewayContext, result: FanoutResult): Promise<FanoutResult> {
  const writeIds = context.targets.targets.flatMap(({ id }) => {
    const queued = result.queued[id];
    return queued ? [queued.deliveryId] : [];
  });
  const view = await loadSaga(context.deliveries, writeIds);
  if (view.members.some(({ write }) => write && sagaWritesOf(write.payload) === undefined))
    throw new OrderConflictError([result.orderId]);
  const { status, compensations } = sagaOutcome(view);
  return { ...result, status, compensations };
}

/**
 * Private: ALL_OR_NOTHING for every order of a placeOrders call, each its own saga. Waits for all of
 * them even when one is refused, so the error never hides orders that were placed: conflicting repeats
 * are one IDEMPOTENCY_KEY_REUSED naming them and saying the others were placed.
 */
async function allOrNothingEach(
  orders: readonly Order[],
  send: SendOptions,
  delivery: Exclude<DeliveryMode, 'ASYNC'>,
  session: FanoutSession,
  context: GatewayContext,
): Promise<FanoutResult[]> {
  const budgetMs = Math.max(0, send.deadline.expiresAt - context.operationStartedAt);
  const settled = await Promise.allSettled(
    orders.map((order) => placeAllOrNothing(context.saga, order, send, delivery, session, budgetMs)),
  );
  const results = settled.flatMap((entry) => (entry.status === 'fulfilled' ? [entry.value] : []));
  if (results.length === orders.length) return results;
  const refusals = settled.flatMap((entry) => (entry.status === 'rejected' ? [entry.reason] : []));
  const conflicts = refusals.filter((reason) => reason instanceof OrderConflictError);
  if (conflicts.length < refusals.length)
    throw deliveryQueueGraphQLError(
      context.logger,
      refusals.find((reason) => !(reason instanceof OrderConflictError)),
    );
  const orderIds = conflicts.flatMap(({ orderIds }) => orderIds);
  throw orderConflictGraphQLError(new OrderConflictError(orderIds, results.length > 0, 'placed'));
}

/** Private: a repeat that names a queued order with other contents is the caller reusing a key: refused. */
function orderConflictGraphQLError(error: unknown): GraphQLError | undefined {
  if (!(error instanceof OrderConflictError)) return undefined;
  return new GraphQLError(error.message, {
    extensions: { code: GatewayErrorCode.IDEMPOTENCY_KEY_REUSED, orderIds: error.orderIds },
  });
}

/**
 * Private: ALL_OR_NOTHING in SYNC or SYNC_OR_QUEUE: the saga commits, sends, settles and rolls back.
 * @throws GraphQLError DELIVERY_QUEUE_UNAVAILABLE when its writes cannot be committed (nothing was sent)
 */
async function allOrNothing(
  order: Order,
  send: SendOptions,
  delivery: Exclude<DeliveryMode, 'ASYNC'>,
  session: FanoutSession,
  context: GatewayContext,
): Promise<FanoutResult> {
  try {
    // The rollback gets as long as the writes had: an ALL_OR_NOTHING order answers within twice its deadline.
    const budgetMs = Math.max(0, send.deadline.expiresAt - context.operationStartedAt);
    return await placeAllOrNothing(context.saga, order, send, delivery, session, budgetMs);
  } catch (error) {
    throw orderConflictGraphQLError(error) ?? deliveryQueueGraphQLError(context.logger, error);
  }
}

/**
 * Private: SYNC sends and reports; SYNC_OR_QUEUE also queues what still fails transiently at the
 * deadline — except under ALL_OR_NOTHING, where the saga settles every write itself.
 */
function fanoutSession(
  delivery: Exclude<DeliveryMode, 'ASYNC'>,
  consistency: Consistency,
  send: SendOptions,
  context: GatewayContext,
): FanoutSession {
  const queueing =
    delivery === 'SYNC_OR_QUEUE' && consistency === 'BEST_EFFORT'
      ? { queue: context.deliveries, schedule: context.deliveryRetrySchedule }
      : undefined;
  // The saga counts an ALL_OR_NOTHING order itself, once its final status is known.
  return createFanoutSession(context.targets, send, context.metrics, {
    queueing,
    countsOrders: consistency === 'BEST_EFFORT',
  });
}

/**
 * Private: the delivery mode joins what an idempotency key is bound to, except SYNC, and so does
 * ALL_OR_NOTHING, so that records written before either existed still match their repeats.
 */
function modeOf(
  delivery: DeliveryMode,
  consistency: Consistency,
): { delivery?: DeliveryMode; consistency?: Consistency } {
  return {
    ...(delivery !== 'SYNC' && { delivery }),
    ...(consistency === 'ALL_OR_NOTHING' && { consistency }),
  };
}

/**
 * Private: an ALL_OR_NOTHING payload is never replayed from the idempotency store: a repeat reads the
 * saga's stored state instead (nothing is sent twice), so it reports how the rollback stands now.
 */
function finalFor<T>(consistency: Consistency, isFinal: (payload: T) => boolean): (payload: T) => boolean {
  return consistency === 'ALL_OR_NOTHING' ? () => false : isFinal;
}

function only(results: readonly FanoutResult[]): FanoutResult {
  const [result] = results;
  if (!result) throw new Error('acceptOrders answered no result for one order');
  return result;
}

/**
 * Private: the deadline (counted from the start of the operation, so aliased mutations share it rather
 * than each getting their own), the caller, and the idempotency key from the options or the HTTP header
 * (validated alike; they must agree); and the delivery mode.
 */
function sendOptions(
  options: FanoutOptions | null | undefined,
  context: GatewayContext,
): { send: SendOptions; delivery: DeliveryMode; consistency: Consistency } {
  const { deadlineMs, idempotencyKey, delivery, consistency } = validateOptions(options);
  const header = validateIdempotencyKeyHeader(context.idempotencyKeyHeader);
  if (idempotencyKey !== undefined && header !== undefined && idempotencyKey !== header) {
    throw badInput('options.idempotencyKey: differs from the Idempotency-Key header; send one key');
  }
  const send: SendOptions = {
    deadline: deadlineIn(deadlineMs ?? context.defaultDeadlineMs, context.operationStartedAt),
    client: context.client,
    idempotencyKey: idempotencyKey ?? header,
    requestId: context.requestId,
    logger: context.logger,
    traceContext: context.trace.context,
  };
  return { send, delivery, consistency };
}
