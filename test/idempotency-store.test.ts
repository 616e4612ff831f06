// The idempotency store contract: the same cases against the in-memory store and the shared Redis.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createRedisIdempotencyStore,
  type IdempotencyStore,
  IdempotencyStoreError,
} from '../src/idempotency/index.js';
import {
  closedPort,
  memoryStores,
  memoryTestStores,
  redisStores,
  type TestStores,
} from './support/idempotency-stores.js';

const TTL_MS = 60_000;
const LEASE_MS = 10_000;

let stores: TestStores | undefined;
afterEach(async () => {
  await stores?.close();
  stores = undefined;
});

function claim(store: IdempotencyStore, key: string, fingerprint: string, owner: string, leaseMs = LEASE_MS) {
  return store.claim(key, { fingerprint, owner, leaseMs, ttlMs: TTL_MS });
}

function finish(
  store: IdempotencyStore,
  key: string,
  fingerprint: string,
  owner: string,
  state: 'completed' | 'retryable',
  payload?: unknown,
) {
  return store.finish(key, { fingerprint, owner, state, payload, ttlMs: TTL_MS });
}

describe.each([memoryStores, redisStores])('$name', (kind) => {
  const open = () => {
    stores = kind.create();
    return stores.instance();
  };
  const key = () => `key-${randomUUID()}`;

  it('claims a free key for its first caller, with no previous payload, and reads it as pending', async () => {
    const store = open();
    const k = key();
    expect(await claim(store, k, 'fp-a', 'owner-1')).toEqual({ outcome: 'claimed', previous: undefined });
    expect(await store.read(k)).toMatchObject({ state: 'pending', fingerprint: 'fp-a', leaseExpired: false });
  });

  it('reads a missing key as undefined, and a read never claims', async () => {
    const store = open();
    const k = key();
    expect(await store.read(k)).toBeUndefined();
    await claim(store, k, 'fp-a', 'owner-1');
    await store.read(k);
    expect(await claim(store, k, 'fp-a', 'owner-2')).toEqual({ outcome: 'in-progress' });
  });

  it('lets exactly one of many concurrent claimants own a key, across instances', async () => {
    stores = kind.create();
    const instances = [stores.instance(), stores.instance()];
    const k = key();
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        claim(instances[i % 2] as IdempotencyStore, k, 'fp-a', `owner-${i}`),
      ),
    );
    expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.outcome === 'in-progress')).toHaveLength(19);
  });

  it('refuses a different fingerprint while the key is pending, retryable or completed', async () => {
    const store = open();
    const k = key();
    await claim(store, k, 'fp-a', 'owner-1');
    expect(await claim(store, k, 'fp-b', 'owner-2')).toEqual({ outcome: 'reused' });
    await finish(store, k, 'fp-a', 'owner-1', 'retryable', { attempt: 1 });
    expect(await claim(store, k, 'fp-b', 'owner-2')).toEqual({ outcome: 'reused' });
    await claim(store, k, 'fp-a', 'owner-3');
    await finish(store, k, 'fp-a', 'owner-3', 'completed', { attempt: 2 });
    expect(await claim(store, k, 'fp-b', 'owner-2')).toEqual({ outcome: 'reused' });
  });

  it('hands a retryable record and its payload to the next claimant, and keeps the payload if that run throws', async () => {
    const store = open();
    const k = key();
    await claim(store, k, 'fp-a', 'owner-1');
    await finish(store, k, 'fp-a', 'owner-1', 'retryable', { attempt: 1 });
    expect(await store.read(k)).toEqual({ state: 'retryable', fingerprint: 'fp-a', payload: { attempt: 1 } });

    expect(await claim(store, k, 'fp-a', 'owner-2')).toEqual({
      outcome: 'claimed',
      previous: { attempt: 1 },
    });
    await finish(store, k, 'fp-a', 'owner-2', 'retryable');
    expect(await store.read(k)).toEqual({ state: 'retryable', fingerprint: 'fp-a', payload: { attempt: 1 } });
  });

  it('keeps a retryable record without payload when the first run throws', async () => {
    const store = open();
    const k = key();
    await claim(store, k, 'fp-a', 'owner-1');
    await finish(store, k, 'fp-a', 'owner-1', 'retryable');
    expect(await store.read(k)).toEqual({ state: 'retryable', fingerprint: 'fp-a', payload: undefined });
    expect(await claim(store, k, 'fp-b', 'owner-2')).toEqual({ outcome: 'reused' });
  });

  it('answers in-progress while the lease is live, and hands over an expired lease with the kept payload', async () => {
    const store = open();
    const k = key();
    await claim(store, k, 'fp-a', 'owner-1');
    await finish(store, k, 'fp-a', 'owner-1', 'retryable', { attempt: 1 });
    // owner-2 takes over and "crashes": a lease of 0 ms has already run out
    expect(await claim(store, k, 'fp-a', 'owner-2', 0)).toEqual({
      outcome: 'claimed',
      previous: { attempt: 1 },
    });
    expect(await store.read(k)).toMatchObject({ state: 'pending', leaseExpired: true });

    expect(await claim(store, k, 'fp-a', 'owner-3')).toEqual({
      outcome: 'claimed',
      previous: { attempt: 1 },
    });
    expect(await claim(store, k, 'fp-a', 'owner-4')).toEqual({ outcome: 'in-progress' });
  });

  it('replays a completed payload instead of claiming, and never replaces it', async () => {
    const store = open();
    const k = key();
    await claim(store, k, 'fp-a', 'owner-1');
    await finish(store, k, 'fp-a', 'owner-1', 'completed', { status: 'SUCCEEDED' });
    expect(await claim(store, k, 'fp-a', 'owner-2')).toEqual({
      outcome: 'completed',
      payload: { status: 'SUCCEEDED' },
    });
    await finish(store, k, 'fp-a', 'owner-2', 'retryable', { status: 'PARTIAL' });
    await finish(store, k, 'fp-a', 'owner-2', 'completed', { status: 'OTHER' });
    expect(await store.read(k)).toEqual({
      state: 'completed',
      fingerprint: 'fp-a',
      payload: { status: 'SUCCEEDED' },
    });
  });

  it('ignores a retryable finish from an owner whose lease was taken over, but accepts a final one', async () => {
    const store = open();
    const k = key();
    await claim(store, k, 'fp-a', 'owner-1', 0);
    await claim(store, k, 'fp-a', 'owner-2');
    await finish(store, k, 'fp-a', 'owner-1', 'retryable', { from: 'owner-1' });
    expect(await store.read(k)).toMatchObject({ state: 'pending', leaseExpired: false });

    await finish(store, k, 'fp-a', 'owner-1', 'completed', { from: 'owner-1' });
    expect(await store.read(k)).toEqual({
      state: 'completed',
      fingerprint: 'fp-a',
      payload: { from: 'owner-1' },
    });
  });

  it('keeps a record, in every state, no longer than its ttlMs', async () => {
    const store = open();
    const [pending, retryable, completed] = [key(), key(), key()];
    const shortLived = { leaseMs: 50, ttlMs: 100 };
    await store.claim(pending, { fingerprint: 'fp', owner: 'o', ...shortLived });
    for (const [k, state] of [
      [retryable, 'retryable'],
      [completed, 'completed'],
    ] as const) {
      await store.claim(k, { fingerprint: 'fp', owner: 'o', ...shortLived });
      await store.finish(k, { fingerprint: 'fp', owner: 'o', state, payload: { k }, ttlMs: 100 });
    }
    await vi.waitFor(
      async () => {
        expect(
          await Promise.all([store.read(pending), store.read(retryable), store.read(completed)]),
        ).toEqual([undefined, undefined, undefined]);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});

describe('memory store byte cap', () => {
  const payloadOf = (bytes: number, i: number) => ({ i, blob: 'x'.repeat(bytes) });

  it('keeps the bytes it holds under maxBytes while many large payloads go in', async () => {
    const maxBytes = 1024 * 1024;
    stores = memoryTestStores({ maxEntries: 10_000, maxBytes });
    const store = stores.instance();
    const keys = Array.from({ length: 60 }, (_, i) => `key-${i}`);
    for (const [i, k] of keys.entries()) {
      await claim(store, k, 'fp', 'owner');
      await finish(store, k, 'fp', 'owner', 'completed', payloadOf(100_000, i));
    }
    const kept = (await Promise.all(keys.map((k) => store.read(k)))).filter((record) => record !== undefined);
    const keptBytes = kept.reduce((sum, record) => sum + JSON.stringify(record).length, 0);
    expect(keptBytes).toBeLessThanOrEqual(maxBytes);
    expect(kept.length).toBeGreaterThan(0);
    expect(await store.read('key-59')).toMatchObject({ state: 'completed', payload: { i: 59 } });
  });

  it('stores no record for a payload larger than maxBytes, and says so with IdempotencyStoreError', async () => {
    stores = memoryTestStores({ maxEntries: 10_000, maxBytes: 10_000 });
    const store = stores.instance();
    await claim(store, 'key', 'fp', 'owner');
    await expect(
      finish(store, 'key', 'fp', 'owner', 'completed', payloadOf(20_000, 0)),
    ).rejects.toBeInstanceOf(IdempotencyStoreError);
    expect(await store.read('key')).toBeUndefined();
  });
});

describe('Redis store failures', () => {
  it('reports a Redis that refuses connections as IdempotencyStoreError from every operation', async () => {
    const store = createRedisIdempotencyStore({
      url: `redis://127.0.0.1:${await closedPort()}`,
      keyPrefix: 'test:',
    });
    try {
      const operations = [
        claim(store, 'k', 'fp', 'owner'),
        store.read('k'),
        finish(store, 'k', 'fp', 'owner', 'completed', {}),
        store.ping(),
      ];
      for (const operation of operations) {
        const error = await operation.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(IdempotencyStoreError);
        expect((error as Error).cause).toBeInstanceOf(Error);
      }
    } finally {
      await store.close();
    }
  });
});
