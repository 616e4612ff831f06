// compensationIdempotencyKey: one key per write, stable, bounded, and never the write's own key.
import { describe, expect, it } from 'vitest';
import { compensationIdempotencyKey } from './compensation-key.js';

describe('compensationIdempotencyKey', () => {
  it('is the same for the same write key and differs from it and from other writes', () => {
    const key = compensationIdempotencyKey('fgw_abc');
    expect(compensationIdempotencyKey('fgw_abc')).toBe(key);
    expect(key).not.toBe('fgw_abc');
    expect(compensationIdempotencyKey('fgw_abd')).not.toBe(key);
  });

  it("stays within the contracts' 255 characters whatever the write key's length", () => {
    expect(compensationIdempotencyKey('k'.repeat(10_000)).length).toBeLessThanOrEqual(255);
  });
});
