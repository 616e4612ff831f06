// Public surface of the resilience module: the per-target policy pipeline and its parts.
export { type BreakerVerdict, CircuitBreaker, type CircuitState } from './circuit-breaker.js';
export {
  type CallPolicyOptions,
  createTargetPolicy,
  type PolicySettings,
  type TargetPolicy,
  verdictOf,
} from './create-target-policy.js';
export { createDeadlineBulkhead, type DeadlineBulkhead } from './deadline-bulkhead.js';
export { createRetryPlanner, type RetryPlanner, type RetrySettings } from './retry-planner.js';
export { createTokenBucket, type RateLimiter, unlimited } from './token-bucket.js';
