// Public surface of the fan-out engine.
export { acceptOrders } from './accept-orders.js';
export {
  createFanoutSession,
  type EarlierRun,
  type FanoutResult,
  type FanoutSession,
  type QueuedTargets,
  type TargetOutcomes,
} from './create-fanout-session.js';
export type { DeliveryMode } from './delivery-mode.js';
export { type FanoutStatus, fanoutStatus, type TargetSettlement } from './fanout-status.js';
export { OrderConflictError, payloadIsOrder } from './order-conflict-error.js';
export {
  isTransientFailure,
  queueTransientFailures,
  type TransientFailureQueueing,
} from './queue-transient-failures.js';
export { type QueuedDelivery, queuedDeliveryOf } from './queued-delivery.js';
export type { CompensationState, TargetCompensation } from './target-compensation.js';
export { type WriteDeliveryState, writeDelivery } from './write-delivery.js';
