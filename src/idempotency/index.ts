// Public surface of the idempotency module: stores of keyed records and the run-once algorithm.
export {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  IdempotencyStoreError,
} from './idempotency-errors.js';
export type {
  ClaimRequest,
  FinishRequest,
  IdempotencyClaim,
  IdempotencyRecord,
  IdempotencyStore,
} from './idempotency-store.js';
export {
  createMemoryIdempotencyStore,
  type MemoryIdempotencyStoreOptions,
} from './memory-idempotency-store.js';
export { createRedisIdempotencyStore, type RedisIdempotencyStoreOptions } from './redis-idempotency-store.js';
export { type IdempotentResult, type IdempotentRun, runIdempotently } from './run-idempotently.js';
