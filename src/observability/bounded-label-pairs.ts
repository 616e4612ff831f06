// Keeps the number of distinct pairs of two caller-given labels (operation × client) bounded, not just each label.
import { OVERFLOW_LABEL } from './bounded-label-values.js';

/**
 * Returns a function that passes `second` through for the first `maxPairs` distinct (first, second)
 * pairs and maps the second value of every later pair to `other`. Each label may be capped on its own
 * (100 operation names, 100 clients) and still multiply to 10 000 series; this caps the product.
 * Both values must already be bounded: the pairs are remembered (no string is built from them).
 * @param maxPairs @default 500
 */
export function boundedLabelPairs(maxPairs = 500): (first: string, second: string) => string {
  const pairs = new Map<string, Set<string>>();
  let size = 0;
  return (first, second) => {
    const seconds = pairs.get(first);
    if (seconds?.has(second)) return second;
    if (size >= maxPairs || second === OVERFLOW_LABEL) return OVERFLOW_LABEL;
    if (seconds) seconds.add(second);
    else pairs.set(first, new Set([second]));
    size++;
    return second;
  };
}
