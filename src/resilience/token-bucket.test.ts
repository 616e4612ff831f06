// createTokenBucket: burst, refill, waiting within the deadline, refusing beyond it or beyond one refill.
import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './token-bucket.js';

const farFuture = { expiresAt: Number.POSITIVE_INFINITY };

describe('createTokenBucket', () => {
  it('lets a burst through at once, then reports the wait for the next token', async () => {
    let now = 0;
    const bucket = createTokenBucket(10, 2, () => now);
    expect(await bucket.acquire(farFuture)).toBe(0);
    expect(await bucket.acquire(farFuture)).toBe(0);
    expect(await bucket.acquire({ expiresAt: now + 50 })).toBe(100);
    now += 100;
    expect(await bucket.acquire(farFuture)).toBe(0);
  });

  it('waits for a token when the deadline leaves time for it', async () => {
    let now = 0;
    const bucket = createTokenBucket(1000, 1, () => now);
    await bucket.acquire(farFuture);
    // A 1 ms wait fits both the deadline and one refill, so the token is booked and waited for.
    expect(await bucket.acquire({ expiresAt: now + 1000 })).toBe(0);
    now += 1;
    expect(await bucket.acquire({ expiresAt: now })).toBe(1);
  });

  it('refuses at once a wait longer than the caller has left, booking nothing', async () => {
    const now = 0;
    const bucket = createTokenBucket(10, 1, () => now);
    await bucket.acquire(farFuture);
    expect(await bucket.acquire({ expiresAt: now + 99 })).toBe(100);
    expect(await bucket.acquire({ expiresAt: now + 99 })).toBe(100);
  });

  it('does not let a caller with a long deadline book tokens beyond one refill of the bucket', async () => {
    let now = 0;
    const bucket = createTokenBucket(1000, 2, () => now);
    await bucket.acquire(farFuture);
    await bucket.acquire(farFuture);
    const booked = [bucket.acquire(farFuture), bucket.acquire(farFuture)];
    // Two tokens are booked ahead (one refill of a 2-token bucket); a third would be 3 ms away.
    expect(await bucket.acquire(farFuture)).toBe(3);
    now += 2;
    await Promise.all(booked);
  });
});
