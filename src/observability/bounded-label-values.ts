// Keeps a metric label whose values come from callers (e.g. client names) to a bounded set.

/** Label value for every value past the cap, and for values too long to be a client name. */
export const OVERFLOW_LABEL = 'other';

/**
 * Returns a function that passes the first `maxValues` distinct values through and maps every later one
 * (and any longer than `maxLength`) to `other`: without authentication a client name is a free header,
 * and each distinct label value is a new time series.
 * @param maxValues @default 100
 * @param maxLength @default 64
 */
export function boundedLabelValues(maxValues = 100, maxLength = 64): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= maxValues || value.length > maxLength || value === OVERFLOW_LABEL) return OVERFLOW_LABEL;
    seen.add(value);
    return value;
  };
}
