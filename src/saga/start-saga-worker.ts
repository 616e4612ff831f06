// Starts the delivery worker with the saga observing its writes: what the gateway (FANOUT_WORKER=on) and `npm run worker` run.
import type { Config } from '../config/index.js';
import { type DeliveryWorker, startDeliveryWorker } from '../delivery/index.js';
import type { Logger } from '../observability/index.js';
import type { SagaRuntime } from './saga-runtime.js';
import { createSagaWriteObserver } from './saga-write-observer.js';

/** One worker on the runtime's queue, targets and schedules; `logger` is the process's (the worker names its component). */
export function startSagaWorker(saga: SagaRuntime, config: Config, logger: Logger): DeliveryWorker {
  return startDeliveryWorker({
    queue: saga.queue,
    registry: saga.registry,
    schedule: saga.schedule,
    compensationSchedule: saga.compensationSchedule,
    config,
    logger,
    metrics: saga.metrics,
    writeObserver: createSagaWriteObserver(saga),
  });
}
