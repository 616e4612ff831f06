// boundedLabelValues: caller-supplied label values stay a bounded set of time series.
import { describe, expect, it } from 'vitest';
import { boundedLabelValues, OVERFLOW_LABEL } from './bounded-label-values.js';

describe('boundedLabelValues', () => {
  it('passes the first values through and maps every later new one to "other"', () => {
    const label = boundedLabelValues(2);
    expect([label('web-shop'), label('mobile'), label('script-1'), label('web-shop')]).toEqual([
      'web-shop',
      'mobile',
      OVERFLOW_LABEL,
      'web-shop',
    ]);
  });

  it('maps values too long to be a client name to "other" without using up the cap', () => {
    const label = boundedLabelValues(1, 8);
    expect(label('x'.repeat(9))).toBe(OVERFLOW_LABEL);
    expect(label('shop')).toBe('shop');
  });
});
