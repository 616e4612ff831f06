// The in-process idempotency store: an LRU with per-entry TTL, for a single gateway instance.
import { LRUCache } from 'lru-cache';
import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store.js';

/** @param maxEntries most keys kept; the least recently used go first */
export function createMemoryIdempotencyStore(maxEntries: number): IdempotencyStore {
  const records = new LRUCache<string, IdempotencyRecord>({ max: maxEntries, ttlAutopurge: false });
  return {
    async claim(key, fingerprint, pendingTtlMs) {
      const existing = records.get(key);
      if (existing) return existing;
      records.set(key, { state: 'pending', fingerprint }, { ttl: pendingTtlMs });
      return undefined;
    },
    async complete(key, fingerprint, payload, ttlMs) {
      records.set(key, { state: 'completed', fingerprint, payload }, { ttl: ttlMs });
    },
    async release(key, fingerprint) {
      const existing = records.get(key);
      if (existing?.state === 'pending' && existing.fingerprint === fingerprint) records.delete(key);
    },
    async ping() {},
    async close() {
      records.clear();
    },
  };
}
