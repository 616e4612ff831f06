// Request validation for the demo upstreams: zod parsing into 422 answers that name the field.
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { type ContractAnswer, invalidRequestAnswer } from './contract-answer.js';

/** The longest `Idempotency-Key` the contracts allow. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** A parsed value, or the 422 answer that explains why parsing failed. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly answer: ContractAnswer };

/**
 * Parses `value` with `schema` (unknown properties are dropped, not refused).
 * @param fieldPrefix prepended to issue paths, e.g. `requests.3` for a batch item. @default 'body'
 */
export function parseContractBody<T>(schema: z.ZodType<T>, value: unknown, fieldPrefix = 'body'): Parsed<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.slice(0, 3).map((issue) => {
    const field = [fieldPrefix, ...issue.path.map(String)].join('.');
    return `${field}: ${issue.message}`;
  });
  return { ok: false, answer: invalidRequestAnswer(problems.join('; ')) };
}

/** Reads the optional `Idempotency-Key` header; an empty or over-long key is a 422. */
export function readIdempotencyKey(headers: IncomingHttpHeaders): Parsed<string | undefined> {
  const raw = headers['idempotency-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined) return { ok: true, value: undefined };
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    const message = `Idempotency-Key: must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`;
    return { ok: false, answer: invalidRequestAnswer(message) };
  }
  return { ok: true, value: key };
}
