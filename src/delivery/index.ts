// Public surface of the delivery module: the queue interface, its embedded SQLite implementation, the schedule.

export {
  type CompensationDeliveryInput,
  compensationDelivery,
  deliveryIdFor,
} from './compensation-delivery.js';
export {
  type CompensationPayload,
  compensationFromPayload,
  compensationPayload,
  type ResolveThenUndo,
  type StoredCompensation,
} from './compensation-payload.js';
export { decideSettlement, type Settlement } from './decide-settlement.js';
export { deliverCompensations } from './deliver-compensations.js';
export type {
  ClaimedDelivery,
  ClaimedUpdate,
  Delivery,
  DeliveryClaim,
  DeliveryFilter,
  DeliveryKind,
  DeliveryPage,
  DeliveryQueue,
  DeliveryState,
  DeliveryStats,
  DeliveryUpdate,
  EnqueuedDelivery,
  JsonValue,
  NewDelivery,
  OperatorUpdate,
  PageRequest,
  TargetDeliveryStats,
} from './delivery-queue.js';
export { DELIVERY_STATES, MAX_PAGE_SIZE } from './delivery-queue.js';
export { DeliveryQueueError, type DeliveryQueueErrorCode } from './delivery-queue-error.js';
export { type DeliveryWorker, type DeliveryWorkerOptions, startDeliveryWorker } from './delivery-worker.js';
export { clientFailureText, describeDeliveryFailure } from './describe-delivery-failure.js';
export { startLeaseHeartbeat } from './lease-heartbeat.js';
export { openDeliveryQueue } from './open-delivery-queue.js';
export { orderFromPayload } from './order-payload.js';
export {
  openRedisDeliveryQueue,
  type RedisDeliveryQueueOptions,
} from './redis-open-delivery-queue.js';
export type { NotAppliedResult } from './resolve-then-undo.js';
export {
  createRetrySchedule,
  DEFAULT_RETRY_SCHEDULE,
  type NextAttemptInput,
  parseRetrySteps,
  type RetrySchedule,
  RetryScheduleError,
  type RetryScheduleOptions,
} from './retry-schedule.js';
export { settleClaimedDelivery } from './settle-claimed-delivery.js';
export { openSqliteDeliveryQueue, type SqliteDeliveryQueueOptions } from './sqlite-delivery-queue.js';
export type { WorkerContext, WriteSettlementObserver } from './worker-context.js';
