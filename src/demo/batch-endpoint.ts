// Batch endpoints of the demo upstreams: envelope checks, the 500-item limit, per-item independent results.
import { z } from 'zod';
import { type ContractAnswer, errorAnswer } from './contract-answer.js';
import type { IdempotencyLedger } from './idempotency-ledger.js';
import { type Parsed, parseContractBody } from './request-validation.js';

/** Most items one batch call may carry, per the contracts. */
export const MAX_BATCH_ITEMS = 500;

/** One entry of a batch answer: what the single call would have answered. */
export interface BatchResult {
  readonly status: number;
  readonly body: unknown;
  /** Present (true) when the item's `idempotencyKey` replayed an earlier answer; not in the contracts. */
  readonly replayed?: true;
}

/** How to run the items of one batch endpoint. */
export interface BatchItems<I extends { idempotencyKey?: string | undefined }> {
  /** The array property of the envelope, e.g. `requests` or `activities`. */
  readonly field: string;
  /** The item schema, including the optional per-item `idempotencyKey`. */
  readonly itemSchema: z.ZodType<I>;
  readonly ledger: IdempotencyLedger;
  /** Ledger scope shared with the single call, so a per-item key means what the header means. */
  readonly scope: string;
  readonly apply: (request: Omit<I, 'idempotencyKey'>) => ContractAnswer;
}

/** Reads the envelope's item array: 422 when it is not an array, 413 when it is longer than 500. */
export function parseBatchEnvelope(body: unknown, field: string): Parsed<unknown[]> {
  const parsed = parseContractBody(z.object({ [field]: z.array(z.unknown()) }), body);
  if (!parsed.ok) return parsed;
  const items = parsed.value[field] ?? [];
  if (items.length > MAX_BATCH_ITEMS) {
    const message = `${field}: at most ${MAX_BATCH_ITEMS} items per call, got ${items.length}`;
    return { ok: false, answer: errorAnswer(413, 'batch_too_large', message) };
  }
  return { ok: true, value: items };
}

/** Applies every item independently and answers 200 `{ results }`, one result per item, in order. */
export function runBatchItems<I extends { idempotencyKey?: string | undefined }>(
  items: readonly unknown[],
  batch: BatchItems<I>,
): ContractAnswer {
  const results = items.map((item, index): BatchResult => {
    const parsed = parseContractBody(batch.itemSchema, item, `${batch.field}.${index}`);
    if (!parsed.ok) return { status: parsed.answer.status, body: parsed.answer.body };
    const { idempotencyKey, ...request } = parsed.value;
    const result = batch.ledger.run(batch.scope, idempotencyKey, request, () => batch.apply(request));
    const { status, body } = result.answer;
    return result.replayed ? { status, body, replayed: true } : { status, body };
  });
  return { status: 200, body: { results } };
}

/** The `malformed` fault for a batch endpoint: a 200 whose `results` has one entry too many. */
export function malformedBatchBody(field: string): (requestBody: unknown) => unknown {
  return (requestBody) => {
    const sent = (requestBody as Record<string, unknown> | undefined)?.[field];
    const length = Array.isArray(sent) ? sent.length + 1 : 1;
    const results = Array.from({ length }, () => ({
      status: 422,
      body: { error: 'injected_fault', message: 'Injected malformed batch answer' },
    }));
    return { results };
  };
}
