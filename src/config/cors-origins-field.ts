// The CORS allow-list field: browser origins (scheme, host, port) as an array (file) or comma-separated text (environment).
import { z } from 'zod';

const EXPECTED =
  'expected browser origins such as https://app.example.com (scheme, host and optional port, no path), comma-separated, or *';

/** Whether `value` is exactly an origin as browsers send it: lowercase scheme and host, no default port, no path. */
function isOrigin(value: string): boolean {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * Origins allowed to call the gateway from a browser; empty (the default) sends no CORS headers at all.
 * `*` allows any origin (without credentials). Each origin must match the browser's `Origin` header exactly.
 */
export const corsOriginsField = z.unknown().transform((value, context): string[] => {
  const items =
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value;
  const parsed = z.array(z.string()).safeParse(items);
  if (parsed.success && parsed.data.every(isOrigin)) return parsed.data;
  context.issues.push({ code: 'custom', message: EXPECTED, input: value });
  return z.NEVER;
});
