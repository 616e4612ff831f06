// Sends many orders through a target's batch endpoint in chunks, mapping each result back to its order.
import { type Link, trace } from '@opentelemetry/api';
import { z } from 'zod';
import { failed, type Outcome } from '../upstream/index.js';
import { type OrderRequest, type SendOptions, upstreamIdempotencyKey } from './send-options.js';
import { sendSingle } from './send-single.js';
import { exchange, invalidResponse, settleAnswer, type TargetCall } from './target-call.js';

const batchAnswerSchema = z.object({
  results: z.array(z.object({ status: z.int(), body: z.unknown() })),
});

/**
 * Splits the orders into chunks of at most `maxBatchSize`, sends the chunks concurrently, and returns
 * one outcome per order in input order. A chunk of one goes to the single endpoint.
 */
export async function sendBatch<T>(
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

/** Private: one batch call; an HTTP-level failure or a misaligned answer fails every order in the chunk. */
async function sendChunk<T>(
  call: TargetCall<T>,
  chunk: readonly OrderRequest[],
  options: SendOptions,
): Promise<Outcome<T>[]> {
  const { definition } = call;
  const keyed = call.sendsIdempotencyKeys;
  const items = chunk.map(({ order }) => {
    const item = definition.singleBody(order);
    return keyed
      ? { ...item, idempotencyKey: upstreamIdempotencyKey(options.idempotencyKey, definition.id, order) }
      : item;
  });
  // Per-item keys make the whole batch safe to resend; the batch call itself carries no header key.
  const { result, attempts } = await exchange(
    call,
    {
      path: definition.batchPath,
      body: definition.batchBody(items),
      idempotent: keyed,
      links: orderLinks(chunk),
    },
    options,
  );
  if (!result.ok) return chunk.map(() => result);
  const answer = result.value;
  const parsed = batchAnswerSchema.safeParse(answer.body);
  if (!parsed.success)
    return failAll(call, chunk, answer.status, 'the body has no valid `results` array', attempts);
  const { results } = parsed.data;
  if (results.length !== chunk.length) {
    return failAll(
      call,
      chunk,
      answer.status,
      `${results.length} results for ${chunk.length} requests`,
      attempts,
    );
  }
  return results.map((item) =>
    settleAnswer(definition, { status: item.status, headers: {}, body: item.body }, false, attempts),
  );
}

/** Private: a batch serves many orders, so its span hangs off the operation and links to each order's span. */
function orderLinks(chunk: readonly OrderRequest[]): Link[] {
  return chunk.flatMap(({ traceContext }) => {
    const spanContext = traceContext && trace.getSpanContext(traceContext);
    return spanContext ? [{ context: spanContext }] : [];
  });
}

/** Private: a batch answer that cannot be matched to its requests says nothing reliable about any order. */
function failAll<T>(
  call: TargetCall<T>,
  chunk: readonly OrderRequest[],
  status: number,
  problem: string,
  attempts: number,
): Outcome<T>[] {
  const outcome = failed<T>(invalidResponse(call.definition.label, status, problem, attempts));
  return chunk.map(() => outcome);
}
