// Parses an HTTP Retry-After header (delta-seconds or an HTTP date) into milliseconds from now, clamped.

/**
 * The longest wait the gateway reports: a Retry-After beyond a day (an upstream saying "in a year")
 * is read as one day, so `retryAfterMs` always fits GraphQL's 32-bit `Int`.
 */
export const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * @returns milliseconds to wait (0 for a date in the past, at most MAX_RETRY_AFTER_MS), or undefined
 * when absent or unparsable.
 */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(MAX_RETRY_AFTER_MS, Number(trimmed) * 1000);
  // An HTTP date always names its weekday or month; without letters, Date.parse would read "-5" as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, date - now));
}
