// The run-once algorithm over real stores: replays, retryable re-runs, waiting duplicates, leases, errors.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deadlineIn } from '../src/core/index.js';
import {
  createMemoryIdempotencyStore,
  createRedisIdempotencyStore,
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  type IdempotencyStore,
  IdempotencyStoreError,
  type IdempotentRun,
  runIdempotently,
} from '../src/idempotency/index.js';
import { idempotencyStoreKey, requestFingerprint } from '../src/idempotency/request-fingerprint.js';
import {
  closedPort,
  gate,
  memoryStores,
  memoryTestStores,
  observeStore,
  redisStores,
  type TestStores,
} from './support/idempotency-stores.js';

interface Payload {
  readonly status: 'SUCCEEDED' | 'PARTIAL';
  readonly run: number;
}

let stores: TestStores | undefined;
afterEach(async () => {
  await stores?.close();
  stores = undefined;
});

/** A keyed run of `work` with a fresh key; `final` payloads are SUCCEEDED. */
function keyedRun(
  key: string,
  work: IdempotentRun<Payload>['work'],
  overrides: Partial<IdempotentRun<Payload>> = {},
): IdempotentRun<Payload> {
  return {
    client: 'client-a',
    key,
    request: { op: 'placeOrder', orderId: 'o-1' },
    deadline: deadlineIn(10_000),
    ttlMs: 60_000,
    work,
    isFinal: (payload) => payload.status === 'SUCCEEDED',
    ...overrides,
  };
}

describe.each([memoryStores, redisStores])('runIdempotently with the $name', (kind) => {
  const open = () => {
    stores = kind.create();
    return stores.instance();
  };

  it('runs the work once and replays its final payload to a repeat', async () => {
    const store = open();
    const key = randomUUID();
    const work = vi.fn(async () => ({ status: 'SUCCEEDED', run: 1 }) as const);

    const first = await runIdempotently(store, keyedRun(key, work));
    const repeat = await runIdempotently(store, keyedRun(key, work));

    expect(first).toEqual({ payload: { status: 'SUCCEEDED', run: 1 }, replayed: false });
    expect(repeat).toEqual({ payload: { status: 'SUCCEEDED', run: 1 }, replayed: true });
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('refuses the same key with a different request after a retryable payload', async () => {
    const store = open();
    const key = randomUUID();
    await runIdempotently(
      store,
      keyedRun(key, async () => ({ status: 'PARTIAL', run: 1 })),
    );
    const other = vi.fn(async () => ({ status: 'SUCCEEDED', run: 2 }) as const);

    await expect(
      runIdempotently(store, keyedRun(key, other, { request: { op: 'placeOrder', orderId: 'o-2' } })),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(other).not.toHaveBeenCalled();
  });

  it('re-runs a retryable key with the previous payload, then replays the final one', async () => {
    const store = open();
    const key = randomUUID();
    await runIdempotently(
      store,
      keyedRun(key, async () => ({ status: 'PARTIAL', run: 1 })),
    );
    const rerun = vi.fn(
      async (previous: Payload | undefined) =>
        ({ status: 'SUCCEEDED', run: (previous?.run ?? 0) + 1 }) as const,
    );

    const second = await runIdempotently(store, keyedRun(key, rerun));
    const third = await runIdempotently(store, keyedRun(key, rerun));

    expect(rerun).toHaveBeenCalledExactlyOnceWith({ status: 'PARTIAL', run: 1 });
    expect(second).toEqual({ payload: { status: 'SUCCEEDED', run: 2 }, replayed: false });
    expect(third).toEqual({ payload: { status: 'SUCCEEDED', run: 2 }, replayed: true });
  });

  it.each(['PARTIAL', 'SUCCEEDED'] as const)(
    'gives a waiting duplicate the first run’s %s payload without running the work again',
    async (status) => {
      stores = kind.create();
      const key = randomUUID();
      const release = gate();
      const waiting = gate();
      const work = vi.fn(async () => {
        await release.promise;
        return { status, run: 1 };
      });
      const owner = runIdempotently(stores.instance(), keyedRun(key, work));
      await vi.waitFor(() => expect(work).toHaveBeenCalled());
      const duplicateStore = observeStore(stores.instance(), { onRead: () => waiting.open() });
      const duplicate = runIdempotently(duplicateStore, keyedRun(key, work));
      await waiting.promise;
      release.open();

      expect(await owner).toEqual({ payload: { status, run: 1 }, replayed: false });
      expect(await duplicate).toEqual({ payload: { status, run: 1 }, replayed: true });
      expect(work).toHaveBeenCalledTimes(1);
    },
  );

  it('answers a waiting duplicate with IdempotencyKeyInProgressError when its deadline passes first', async () => {
    stores = kind.create();
    const key = randomUUID();
    const release = gate();
    const work = vi.fn(async () => {
      await release.promise;
      return { status: 'SUCCEEDED', run: 1 } as const;
    });
    const owner = runIdempotently(stores.instance(), keyedRun(key, work));
    await vi.waitFor(() => expect(work).toHaveBeenCalled());

    await expect(
      runIdempotently(stores.instance(), keyedRun(key, work, { deadline: deadlineIn(300) })),
    ).rejects.toBeInstanceOf(IdempotencyKeyInProgressError);
    release.open();
    await owner;
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('records a thrown error as retryable: the error propagates unchanged and the fingerprint stays bound', async () => {
    const store = open();
    const key = randomUUID();
    const failure = new TypeError('inventory exploded');

    await expect(
      runIdempotently(
        store,
        keyedRun(key, async () => Promise.reject(failure)),
      ),
    ).rejects.toBe(failure);
    await expect(
      runIdempotently(
        store,
        keyedRun(key, async () => ({ status: 'SUCCEEDED', run: 2 }), { request: { other: true } }),
      ),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    const retry = vi.fn(async () => ({ status: 'SUCCEEDED', run: 2 }) as const);
    await runIdempotently(store, keyedRun(key, retry));
    expect(retry).toHaveBeenCalledExactlyOnceWith(undefined);
  });

  it('keeps the earlier payload when a re-run throws, and hands it to the next run', async () => {
    const store = open();
    const key = randomUUID();
    await runIdempotently(
      store,
      keyedRun(key, async () => ({ status: 'PARTIAL', run: 1 })),
    );
    await expect(
      runIdempotently(
        store,
        keyedRun(key, async () => Promise.reject(new Error('crm down'))),
      ),
    ).rejects.toThrow('crm down');
    const next = vi.fn(async () => ({ status: 'SUCCEEDED', run: 3 }) as const);
    await runIdempotently(store, keyedRun(key, next));
    expect(next).toHaveBeenCalledExactlyOnceWith({ status: 'PARTIAL', run: 1 });
  });
});

describe('runIdempotently and leases', () => {
  it('lets a waiting duplicate take over, with the kept payload, once the crashed owner’s lease expires', async () => {
    let now = 1_000_000;
    const store = createMemoryIdempotencyStore({ maxEntries: 100, maxBytes: 1_000_000, now: () => now });
    const key = randomUUID();
    await runIdempotently(
      store,
      keyedRun(key, async () => ({ status: 'PARTIAL', run: 1 })),
    );
    // The owner of a re-run "crashes": it claimed the key and never finishes.
    const claimed = gate();
    void runIdempotently(
      store,
      keyedRun(key, () => {
        claimed.open();
        return new Promise<Payload>(() => undefined);
      }),
    );
    await claimed.promise;
    const polling = gate();
    const duplicate = vi.fn(async () => ({ status: 'SUCCEEDED', run: 3 }) as const);
    const result = runIdempotently(
      observeStore(store, { onRead: () => polling.open() }),
      keyedRun(key, duplicate),
    );
    await polling.promise;
    expect(duplicate).not.toHaveBeenCalled();
    now += 60_000;

    expect(await result).toEqual({ payload: { status: 'SUCCEEDED', run: 3 }, replayed: false });
    expect(duplicate).toHaveBeenCalledExactlyOnceWith({ status: 'PARTIAL', run: 1 });
  });

  it('lets a waiting duplicate take over an expired lease in Redis, judged by the Redis clock', async () => {
    const redis = redisStores.create();
    stores = redis;
    const store = redis.instance();
    const run = keyedRun(
      randomUUID(),
      vi.fn(async () => ({ status: 'SUCCEEDED', run: 1 }) as const),
    );
    // A crashed owner on another instance: its claim holds a 1.5 s lease and is never finished.
    await redis.instance().claim(idempotencyStoreKey(run.client, run.key), {
      fingerprint: requestFingerprint(run.request),
      owner: 'crashed-instance',
      leaseMs: 1_500,
      ttlMs: 60_000,
    });
    let reads = 0;
    const result = await runIdempotently(observeStore(store, { onRead: () => reads++ }), run);

    expect(result).toEqual({ payload: { status: 'SUCCEEDED', run: 1 }, replayed: false });
    expect(run.work).toHaveBeenCalledExactlyOnceWith(undefined);
    expect(reads).toBeGreaterThan(0);
  });

  it('runs the work once for concurrent duplicates arriving at two gateway instances sharing Redis', async () => {
    const shared = redisStores.create();
    stores = shared;
    const instances = [shared.instance(), shared.instance()];
    const duplicates = 6;
    const allWaiting = gate();
    let inProgress = 0;
    const observed = instances.map((store) =>
      observeStore(store, {
        onClaim: (claim) => {
          if (claim.outcome === 'in-progress' && ++inProgress === duplicates - 1) allWaiting.open();
        },
      }),
    );
    const key = randomUUID();
    const work = vi.fn(async () => {
      await allWaiting.promise;
      return { status: 'SUCCEEDED', run: 1 } as const;
    });

    const results = await Promise.all(
      Array.from({ length: duplicates }, (_, i) =>
        runIdempotently(observed[i % 2] as IdempotencyStore, keyedRun(key, work)),
      ),
    );
    expect(work).toHaveBeenCalledTimes(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r.payload))).size).toBe(1);
  });
});

describe('runIdempotently and store failures', () => {
  it('reports an unreachable store as IdempotencyStoreError without running the work', async () => {
    const store = createRedisIdempotencyStore({
      url: `redis://127.0.0.1:${await closedPort()}`,
      keyPrefix: 'test:',
    });
    const work = vi.fn(async () => ({ status: 'SUCCEEDED', run: 1 }) as const);
    try {
      const error = await runIdempotently(store, keyedRun(randomUUID(), work)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyStoreError);
      expect((error as Error).cause).toBeDefined();
      expect(work).not.toHaveBeenCalled();
    } finally {
      await store.close();
    }
  });

  it('still returns the payload when recording it fails, and tells onStoreError', async () => {
    stores = memoryTestStores({ maxEntries: 100, maxBytes: 2_000 });
    const onStoreError = vi.fn();
    const big = { status: 'SUCCEEDED', run: 1, note: 'x'.repeat(5_000) } as const;

    const result = await runIdempotently(
      stores.instance(),
      keyedRun(randomUUID(), async () => big, { onStoreError }),
    );

    expect(result).toEqual({ payload: big, replayed: false });
    expect(onStoreError).toHaveBeenCalledExactlyOnceWith(expect.any(IdempotencyStoreError));
  });
});
