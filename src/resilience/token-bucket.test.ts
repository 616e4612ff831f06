// createTokenBucket: burst, refill, waiting within the deadline, refusing beyond it.
import { describe, expect, it } from 'vitest';
import { deadlineIn } from '../upstream/index.js';
import { createTokenBucket } from './token-bucket.js';

describe('createTokenBucket', () => {
  it('lets a burst through at once, then reports the wait for the next token', async () => {
    let now = 0;
    const bucket = createTokenBucket(10, 2, () => now);
    const noWait = { expiresAt: Number.POSITIVE_INFINITY };
    expect(await bucket.acquire(noWait)).toBe(0);
    expect(await bucket.acquire(noWait)).toBe(0);
    expect(await bucket.acquire({ expiresAt: Date.now() + 50 })).toBe(100);
    now += 100;
    expect(await bucket.acquire(noWait)).toBe(0);
  });

  it('waits for a token when the deadline leaves time for it', async () => {
    const bucket = createTokenBucket(20, 1);
    await bucket.acquire(deadlineIn(1000));
    const startedAt = performance.now();
    expect(await bucket.acquire(deadlineIn(1000))).toBe(0);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(40);
  });
});
