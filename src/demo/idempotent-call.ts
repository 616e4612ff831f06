// Single calls that honour `Idempotency-Key`: validate the header and body, then go through the ledger.
import type { FastifyRequest } from 'fastify';
import type { ContractAnswer } from './contract-answer.js';
import { answerOfLedgerResult, type IdempotencyLedger } from './idempotency-ledger.js';
import { type Parsed, readIdempotencyKey } from './request-validation.js';

/** How to answer one keyed call. */
export interface IdempotentCall<T> {
  readonly ledger: IdempotencyLedger;
  /** Ledger scope: keys are unique per scope, e.g. per endpoint. */
  readonly scope: string;
  /** Validates the body; what it returns is what the ledger compares between repeats. */
  readonly parse: (body: unknown) => Parsed<T>;
  readonly apply: (request: T) => ContractAnswer;
}

/** Answers `request` once per idempotency key; repeats replay the first answer with the replay header. */
export function answerIdempotentCall<T>(request: FastifyRequest, call: IdempotentCall<T>): ContractAnswer {
  const key = readIdempotencyKey(request.headers);
  if (!key.ok) return key.answer;
  const parsed = call.parse(request.body);
  if (!parsed.ok) return parsed.answer;
  const result = call.ledger.run(call.scope, key.value, parsed.value, () => call.apply(parsed.value));
  return answerOfLedgerResult(result);
}

/** Reads a path parameter Fastify has already matched. */
export function pathParam(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string | undefined>)[name] ?? '';
}
