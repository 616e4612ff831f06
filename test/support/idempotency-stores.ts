// Real idempotency stores for tests: in memory, and in the shared Redis under a random key prefix, cleaned up after.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import {
  createMemoryIdempotencyStore,
  createRedisIdempotencyStore,
  type IdempotencyClaim,
  type IdempotencyStore,
  type MemoryIdempotencyStoreOptions,
} from '../../src/idempotency/index.js';

export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/** A kind of store the same cases run against; `instance()` gives another client of the same records. */
export interface StoreKind {
  readonly name: string;
  create(): TestStores;
}

export interface TestStores {
  /** A new client of the same records (another gateway instance, for Redis; the same store, in memory). */
  instance(): IdempotencyStore;
  close(): Promise<void>;
}

export const memoryStores: StoreKind = {
  name: 'memory store',
  create: () => memoryTestStores({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 }),
};

export const redisStores: StoreKind = {
  name: 'Redis store',
  create: () => redisTestStores(),
};

/** One in-memory store shared by every "instance", as in a single gateway process. */
export function memoryTestStores(options: MemoryIdempotencyStoreOptions): TestStores {
  const store = createMemoryIdempotencyStore(options);
  return { instance: () => store, close: () => store.close() };
}

/** Redis stores on the shared Redis under one random prefix; closing them deletes the prefix's keys. */
export function redisTestStores(): TestStores {
  const keyPrefix = `test:${randomUUID()}:`;
  const opened: IdempotencyStore[] = [];
  return {
    instance() {
      const store = createRedisIdempotencyStore({ url: SHARED_REDIS_URL, keyPrefix });
      opened.push(store);
      return store;
    },
    async close() {
      await Promise.all(opened.map((store) => store.close()));
      await deleteKeys(`${keyPrefix}*`);
    },
  };
}

/** A port nothing listens on (just released by the OS), for a Redis that refuses connections. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** Wraps a store to tell the test about its claims and reads; behaviour is unchanged. */
export function observeStore(
  store: IdempotencyStore,
  observer: { onClaim?: (claim: IdempotencyClaim) => void; onRead?: () => void },
): IdempotencyStore {
  return {
    ...store,
    claim: async (key, request) => {
      const claim = await store.claim(key, request);
      observer.onClaim?.(claim);
      return claim;
    },
    read: (key) => {
      observer.onRead?.();
      return store.read(key);
    },
  };
}

/** A promise and the function that resolves it. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

async function deleteKeys(pattern: string): Promise<void> {
  const redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true });
  try {
    await redis.connect();
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: pattern, count: 1000 }))
      keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
