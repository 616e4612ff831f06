// Public surface of the resilience module: the per-target policy pipeline and its parts.
export {
  type CircuitState,
  createTargetPolicy,
  type PolicySettings,
  type TargetPolicy,
} from './create-target-policy.js';
export { createRetryPlanner, type RetryPlanner, type RetrySettings } from './retry-planner.js';
export { createTokenBucket, type RateLimiter, unlimited } from './token-bucket.js';
