// Turns a zod parse of an upstream body into a Decoded value with a one-line account of the mismatch.
import type { z } from 'zod';
import { NOT_JSON } from '../upstream/index.js';
import type { Decoded } from './target-definition.js';

/** Validates what the gateway uses; unknown properties are ignored, as upstreams add fields freely. */
export function decodeWithSchema<S extends z.ZodType, T>(
  schema: S,
  body: unknown,
  toValue: (parsed: z.infer<S>) => T,
): Decoded<T> {
  if (body === NOT_JSON) return { ok: false, problem: 'the body is not JSON' };
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: toValue(parsed.data) };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, problem: `${where}${issue?.message ?? 'does not match the contract'}` };
}
