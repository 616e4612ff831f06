// Public surface of the idempotency module: stores of completed payloads and the run-once algorithm.
export type { IdempotencyRecord, IdempotencyStore } from './idempotency-store.js';
export { createMemoryIdempotencyStore } from './memory-idempotency-store.js';
export { createRedisIdempotencyStore } from './redis-idempotency-store.js';
export {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  type IdempotentRun,
  runIdempotently,
} from './run-idempotently.js';
