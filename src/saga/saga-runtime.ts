// What the saga needs at run time, built once per process: the queue, the targets, the schedules and its budgets.
import type { Config } from '../config/index.js';
import {
  createRetrySchedule,
  type DeliveryQueue,
  type RetrySchedule,
  type WorkerContext,
} from '../delivery/index.js';
import type { GatewayMetrics, Logger } from '../observability/index.js';
import type { TargetRegistry } from '../targets/index.js';
import type { SagaDependencies } from './reconcile-saga.js';

export interface SagaRuntime extends SagaDependencies {
  readonly metrics: GatewayMetrics;
  /** The write retry schedule (SYNC_OR_QUEUE queues a transient failure on it). */
  readonly schedule: RetrySchedule;
  /** The compensation retry schedule: far longer, as an undo left undone leaves a write applied. */
  readonly compensationSchedule: RetrySchedule;
  /** The lease on what a request commits claimed; a crashed request's work returns to the queue after it. */
  readonly leaseMs: number;
  /** How long a postponed delivery waits when its refusal names no time. */
  readonly postponeMs: number;
}

/** Built once per process (gateway or worker); the schedules come from `config.delivery`. */
export function createSagaRuntime(
  config: Config,
  parts: {
    readonly queue: DeliveryQueue;
    readonly registry: TargetRegistry;
    readonly logger: Logger;
    readonly metrics: GatewayMetrics;
  },
): SagaRuntime {
  return {
    ...parts,
    logger: parts.logger.child({ component: 'saga' }),
    schedule: createRetrySchedule(config.delivery.retrySchedule),
    compensationSchedule: createRetrySchedule(config.delivery.compensationRetrySchedule),
    leaseMs: config.delivery.leaseMs,
    postponeMs: config.delivery.pollIntervalMs,
  };
}

/** A worker context for what the request settles itself (its claimed writes and compensations). */
export function requestWorkerContext(runtime: SagaRuntime): WorkerContext {
  return {
    queue: runtime.queue,
    schedule: runtime.schedule,
    compensationSchedule: runtime.compensationSchedule,
    logger: runtime.logger,
    metrics: runtime.metrics,
    clock: Date.now,
    leaseMs: runtime.leaseMs,
    postponeMs: runtime.postponeMs,
    held: new Map(),
  };
}
