// Sends many orders through a target's batch endpoint in chunks, matching each result back to its order.
import { type Link, trace } from '@opentelemetry/api';
import { z } from 'zod';
import { failed, type Outcome } from '../core/index.js';
import { matchBatchResults } from './match-batch-results.js';
import { logBatchItemMessage } from './record-attempt.js';
import { type OrderRequest, type SendOptions, upstreamKeyOf } from './send-options.js';
import { sendSingle } from './send-single.js';
import { exchange, invalidResponse, settleAnswer, type TargetCall } from './target-call.js';
import type { OrderAnswer } from './target-definition.js';

const batchAnswerSchema = z.object({
  results: z.array(z.object({ status: z.int(), body: z.unknown() })),
});

/**
 * Splits the orders into chunks of at most `maxBatchSize`, sends the chunks concurrently, and returns
 * one outcome per order in input order. A chunk of one goes to the single endpoint.
 */
export async function sendBatch<T extends OrderAnswer>(
  call: TargetCall<T>,
  requests: readonly OrderRequest[],
  maxBatchSize: number,
  options: SendOptions,
): Promise<Outcome<T>[]> {
  const chunks: OrderRequest[][] = [];
  for (let start = 0; start < requests.length; start += maxBatchSize) {
    chunks.push(requests.slice(start, start + maxBatchSize));
  }
  const settled = await Promise.all(
    chunks.map((chunk) =>
      chunk.length === 1 && chunk[0]
        ? sendSingle(call, chunk[0], options).then((outcome) => [outcome])
        : sendChunk(call, chunk, options),
    ),
  );
  return settled.flat();
}

/** Private: one batch call; an HTTP-level failure or an answer without `results` fails every order in the chunk. */
async function sendChunk<T extends OrderAnswer>(
  call: TargetCall<T>,
  chunk: readonly OrderRequest[],
  options: SendOptions,
): Promise<Outcome<T>[]> {
  const { definition } = call;
  const keyed = call.sendsIdempotencyKeys;
  const items = chunk.map((request) => {
    const item = definition.singleBody(request.order);
    return keyed ? { ...item, idempotencyKey: upstreamKeyOf(request, options, definition.id) } : item;
  });
  // Per-item keys make the whole batch safe to resend; without them only a batch that provably never
  // arrived (refused, 429, 503) is resent. The batch call itself carries no header key.
  const { result, attempts } = await exchange(
    call,
    {
      path: definition.batchPath,
      body: definition.batchBody(items),
      idempotent: keyed,
      maxResponseBytes: call.maxBatchResponseBytes,
      links: orderLinks(chunk),
    },
    options,
  );
  if (!result.ok) return chunk.map(() => result);
  const answer = result.value;
  const parsed = batchAnswerSchema.safeParse(answer.body);
  if (!parsed.success)
    return failAll(call, chunk, answer.status, 'the body has no valid `results` array', attempts);
  const matches = matchBatchResults(
    chunk.map(({ order }) => order.orderId),
    parsed.data.results,
  );
  return matches.map((match, index) => {
    if (!match.matched) {
      return failed<T>(invalidResponse(definition.label, answer.status, match.problem, attempts));
    }
    const { status, body } = match.result;
    const orderId = chunk[index]?.order.orderId ?? '';
    const outcome = settleAnswer(
      call,
      { status, headers: {}, body },
      { orderId, replayed: false, attempts, idempotent: keyed },
    );
    if (!outcome.ok) logBatchItemMessage(definition.id, orderId, status, outcome.failure, options);
    return outcome;
  });
}

/** Private: a batch serves many orders, so its span hangs off the operation and links to each order's span. */
function orderLinks(chunk: readonly OrderRequest[]): Link[] {
  return chunk.flatMap(({ traceContext }) => {
    const spanContext = traceContext && trace.getSpanContext(traceContext);
    return spanContext ? [{ context: spanContext }] : [];
  });
}

/** Private: a batch answer that cannot be matched to its requests says nothing reliable about any order. */
function failAll<T extends OrderAnswer>(
  call: TargetCall<T>,
  chunk: readonly OrderRequest[],
  status: number,
  problem: string,
  attempts: number,
): Outcome<T>[] {
  const outcome = failed<T>(invalidResponse(call.definition.label, status, problem, attempts));
  return chunk.map(() => outcome);
}
