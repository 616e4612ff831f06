// The field types config values are built from: integers, fractions, flags, URLs and secrets, each accepting file and env forms.
import { z } from 'zod';

/** An integer in [min, max], accepted as a number (config file) or a decimal string (environment). */
export function integer(min: number, max: number) {
  const expected = `an integer from ${min} to ${max}`;
  const error = `expected ${expected}`;
  return z
    .union([z.number(), z.string().regex(/^-?\d+$/, { error })], { error })
    .transform(Number)
    .pipe(z.number().int({ error }).min(min, { error }).max(max, { error }));
}

/** A fraction from 0 to 1, accepted as a number (config file) or a decimal string (environment). */
export const fraction = z
  .union([z.number(), z.string().regex(/^\d*\.?\d+$/, { error: 'expected a number from 0 to 1' })], {
    error: 'expected a number from 0 to 1',
  })
  .transform(Number)
  .pipe(
    z
      .number()
      .min(0, { error: 'expected a number from 0 to 1' })
      .max(1, { error: 'expected a number from 0 to 1' }),
  );

/** A boolean, accepted as true/false (config file) or "true"/"false"/"1"/"0" (environment). */
export const flag = z.union(
  [z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')],
  {
    error: 'expected true or false',
  },
);

export const httpUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
  // Credentials go in the target's own token/key setting; a user:password in the URL would be
  // silently dropped by the connection pool, and would end up in logs.
  .refine((url) => !/^[a-z]+:\/\/[^/?#]*@/i.test(url), {
    error: 'expected a URL without user:password (set the credential in its own variable)',
  })
  .transform((url) => url.replace(/\/+$/, ''));

export const secret = z.string().min(1, { error: 'expected a non-empty string' });
