// The shared idempotency store: records in Redis, so every gateway instance sees the same keys.
import { Redis } from 'ioredis';
import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store.js';

// Deletes the key only while it still holds the caller's pending record (compare-and-delete).
const RELEASE_PENDING = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * @param url redis:// or rediss:// URL
 * @param keyPrefix prepended to every key, e.g. `fanout:`
 * @param onConnectionLost told once each time Redis becomes unreachable (not on every reconnect attempt)
 */
export function createRedisIdempotencyStore(
  url: string,
  keyPrefix: string,
  onConnectionLost: (error: Error) => void,
): IdempotencyStore {
  // Fail fast instead of queueing commands while Redis is away: a mutation must not hang on it.
  const redis = new Redis(url, {
    keyPrefix: `${keyPrefix}idem:`,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  let reachable = true;
  redis.on('error', (error: Error) => {
    if (reachable) onConnectionLost(error);
    reachable = false;
  });
  redis.on('ready', () => {
    reachable = true;
  });
  const connected = redis.connect().catch(() => undefined);
  const pending = (fingerprint: string) => JSON.stringify({ state: 'pending', fingerprint });

  return {
    async claim(key, fingerprint, pendingTtlMs) {
      await connected;
      // A claim can race the record's expiry: retry the read a few times before giving up.
      for (let tries = 0; tries < 3; tries++) {
        const claimed = await redis.set(key, pending(fingerprint), 'PX', pendingTtlMs, 'NX');
        if (claimed === 'OK') return undefined;
        const existing = await redis.get(key);
        if (existing !== null) return JSON.parse(existing) as IdempotencyRecord;
      }
      throw new Error('Redis idempotency record kept disappearing during a claim');
    },
    async complete(key, fingerprint, payload, ttlMs) {
      await redis.set(key, JSON.stringify({ state: 'completed', fingerprint, payload }), 'PX', ttlMs);
    },
    async release(key, fingerprint) {
      await redis.eval(RELEASE_PENDING, 1, key, pending(fingerprint));
    },
    async ping() {
      await connected;
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
