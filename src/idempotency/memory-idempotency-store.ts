// The in-process idempotency store: an LRU capped in entries and in bytes, for a single gateway instance.
import { LRUCache } from 'lru-cache';
import { IdempotencyStoreError } from './idempotency-errors.js';
import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store.js';

export interface MemoryIdempotencyStoreOptions {
  /** Most keys kept; the least recently used go first. */
  readonly maxEntries: number;
  /**
   * Most bytes of record JSON kept; the least recently used go first. A single record larger than this
   * is not stored at all (lru-cache refuses it and drops the key's old record): the key then has no
   * record, so a repeat runs again, and the upstreams' own idempotency keys still prevent duplicate writes.
   * `finish` rejects with IdempotencyStoreError in that case, so the caller can log it.
   */
  readonly maxBytes: number;
  /** The clock leases are measured with. @default Date.now */
  readonly now?: () => number;
}

/** Private: a record as kept; the payload as JSON text, so its size is known and each replay gets its own copy. */
interface StoredRecord {
  readonly state: 'pending' | 'retryable' | 'completed';
  readonly fingerprint: string;
  readonly owner?: string;
  readonly leaseExpiresAt?: number;
  readonly payloadJson?: string;
}

/** An idempotency store in this process: claims are atomic because each method runs without awaiting. */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions): IdempotencyStore {
  const now = options.now ?? Date.now;
  const records = new LRUCache<string, StoredRecord>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: recordBytes,
    ttlAutopurge: false,
  });
  const put = (key: string, record: StoredRecord, ttlMs: number) => {
    const status: LRUCache.Status<string, StoredRecord> = {};
    records.set(key, record, { ttl: ttlMs, status });
    if (status.maxEntrySizeExceeded) {
      throw new IdempotencyStoreError(
        `an idempotency record of ${recordBytes(record)} bytes exceeds maxBytes (${options.maxBytes}); the key has no record`,
      );
    }
  };

  return {
    async claim(key, { fingerprint, owner, leaseMs, ttlMs }) {
      const existing = records.get(key);
      if (existing) {
        if (existing.fingerprint !== fingerprint) return { outcome: 'reused' };
        if (existing.state === 'completed')
          return { outcome: 'completed', payload: parse(existing.payloadJson) };
        if (existing.state === 'pending' && !leaseExpired(existing, now())) return { outcome: 'in-progress' };
      }
      const payloadJson = existing?.payloadJson;
      const leaseExpiresAt = now() + leaseMs;
      put(
        key,
        { state: 'pending', fingerprint, owner, leaseExpiresAt, payloadJson },
        Math.max(ttlMs, leaseMs),
      );
      return { outcome: 'claimed', previous: parse(payloadJson) };
    },
    async read(key) {
      const existing = records.get(key);
      return existing && toRecord(existing, now());
    },
    async finish(key, { fingerprint, owner, state, payload, ttlMs }) {
      const existing = records.get(key);
      if (existing && !acceptsFinish(existing, fingerprint, owner, state)) return;
      const payloadJson = payload === undefined ? existing?.payloadJson : JSON.stringify(payload);
      put(key, { state, fingerprint, payloadJson }, ttlMs);
    },
    async ping() {},
    async close() {
      records.clear();
    },
  };
}

/** Private: the same rules as the Redis finish script (see redis-idempotency-scripts.ts). */
function acceptsFinish(existing: StoredRecord, fingerprint: string, owner: string, state: string): boolean {
  if (existing.fingerprint !== fingerprint || existing.state === 'completed') return false;
  return existing.state !== 'pending' || existing.owner === owner || state === 'completed';
}

function leaseExpired(record: StoredRecord, now: number): boolean {
  return (record.leaseExpiresAt ?? 0) <= now;
}

function toRecord(stored: StoredRecord, now: number): IdempotencyRecord {
  const { state, fingerprint } = stored;
  if (state === 'pending') {
    const leaseExpiresAt = stored.leaseExpiresAt ?? 0;
    return { state, fingerprint, leaseExpiresAt, leaseExpired: leaseExpired(stored, now) };
  }
  return { state, fingerprint, payload: parse(stored.payloadJson) };
}

function parse(payloadJson: string | undefined): unknown {
  return payloadJson === undefined ? undefined : JSON.parse(payloadJson);
}

/** Private: the record's JSON length, counting the payload as the JSON text it is (not re-escaped). */
function recordBytes(record: StoredRecord): number {
  const { payloadJson, ...rest } = record;
  return JSON.stringify(rest).length + (payloadJson?.length ?? 0);
}
