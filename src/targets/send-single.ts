// Sends one order to a target's single endpoint and settles its outcome.
import type { Outcome } from '../core/index.js';
import { type OrderRequest, type SendOptions, upstreamKeyOf } from './send-options.js';
import { exchange, settleAnswer, type TargetCall } from './target-call.js';
import type { OrderAnswer } from './target-definition.js';

export async function sendSingle<T extends OrderAnswer>(
  call: TargetCall<T>,
  request: OrderRequest,
  options: SendOptions,
): Promise<Outcome<T>> {
  const { definition } = call;
  const { order } = request;
  const idempotencyKey = call.sendsIdempotencyKeys
    ? upstreamKeyOf(request, options, definition.id)
    : undefined;
  const idempotent = idempotencyKey !== undefined;
  const { result, attempts } = await exchange(
    call,
    {
      path: definition.singlePath,
      body: definition.singleBody(order),
      idempotencyKey,
      idempotent,
      maxResponseBytes: call.maxResponseBytes,
      parent: request.traceContext,
    },
    options,
  );
  if (!result.ok) return result;
  const replayed = result.value.headers['idempotent-replayed'] === 'true';
  return settleAnswer(call, result.value, { orderId: order.orderId, replayed, attempts, idempotent });
}
