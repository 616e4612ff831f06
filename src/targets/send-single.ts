// Sends one order to a target's single endpoint and settles its outcome.
import type { Outcome } from '../upstream/index.js';
import { type OrderRequest, type SendOptions, upstreamIdempotencyKey } from './send-options.js';
import { exchange, settleAnswer, type TargetCall } from './target-call.js';

export async function sendSingle<T>(
  call: TargetCall<T>,
  request: OrderRequest,
  options: SendOptions,
): Promise<Outcome<T>> {
  const { definition } = call;
  const idempotencyKey = call.sendsIdempotencyKeys
    ? upstreamIdempotencyKey(options.idempotencyKey, definition.id, request.order)
    : undefined;
  const { result, attempts } = await exchange(
    call,
    {
      path: definition.singlePath,
      body: definition.singleBody(request.order),
      idempotencyKey,
      idempotent: idempotencyKey !== undefined,
      parent: request.traceContext,
    },
    options,
  );
  if (!result.ok) return result;
  const replayed = result.value.headers['idempotent-replayed'] === 'true';
  return settleAnswer(definition, result.value, replayed, attempts);
}
