// Idempotency ledger shared by the demo upstreams: apply a keyed write once, replay it, refuse key reuse.

import { stringify } from 'safe-stable-stringify';
import { type ContractAnswer, errorAnswer } from './contract-answer.js';

/** The header a replayed answer carries, as the contracts name it. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** What the ledger decided for one keyed write. */
export interface LedgerResult {
  readonly answer: ContractAnswer;
  /** True when `answer` is the stored first answer of an earlier request with the same key and body. */
  readonly replayed: boolean;
}

/** Remembers the first answer per idempotency key. */
export interface IdempotencyLedger {
  /**
   * Runs `apply` unless `key` was seen before in `scope`. A repeat with the same request (compared as
   * stable JSON) gets the first answer back, replayed; a repeat with another request gets 422
   * `idempotency_key_reused`. Without a key, `apply` always runs. Synchronous on purpose: the check
   * and the write happen in one turn of the event loop, so concurrent duplicates apply once.
   */
  run(scope: string, key: string | undefined, request: unknown, apply: () => ContractAnswer): LedgerResult;
}

interface LedgerEntry {
  readonly fingerprint: string;
  readonly answer: ContractAnswer;
}

/**
 * Creates an in-memory ledger.
 * @param limit keys remembered before the oldest are forgotten. @default 100_000
 */
export function createIdempotencyLedger(limit = 100_000): IdempotencyLedger {
  const entries = new Map<string, LedgerEntry>();

  return {
    run(scope, key, request, apply) {
      if (key === undefined) return { answer: apply(), replayed: false };
      const ledgerKey = `${scope}\u0000${key}`;
      const fingerprint = stringify(request) ?? 'undefined';
      const seen = entries.get(ledgerKey);
      if (seen !== undefined) {
        if (seen.fingerprint === fingerprint) return { answer: seen.answer, replayed: true };
        const message = `Idempotency key '${key}' was already used with a different request body`;
        return { answer: errorAnswer(422, 'idempotency_key_reused', message), replayed: false };
      }
      const answer = apply();
      entries.set(ledgerKey, { fingerprint, answer });
      if (entries.size > limit) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      return { answer, replayed: false };
    },
  };
}

/** The answer to send for a single call: a replay carries `Idempotent-Replayed: true`. */
export function answerOfLedgerResult(result: LedgerResult): ContractAnswer {
  if (!result.replayed) return result.answer;
  return {
    ...result.answer,
    headers: { ...result.answer.headers, [IDEMPOTENT_REPLAYED_HEADER]: 'true' },
  };
}
