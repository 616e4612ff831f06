// The delivery worker: per target, claims due deliveries, sends them through the target's client, settles them.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Config } from '../config/index.js';
import { parseDuration } from '../core/index.js';
import type { GatewayMetrics, Logger } from '../observability/index.js';
import type { RegisteredTarget, TargetRegistry } from '../targets/index.js';
import { deliverClaimed } from './deliver-claimed.js';
import type { ClaimedDelivery, DeliveryQueue } from './delivery-queue.js';
import { DeliveryQueueError } from './delivery-queue-error.js';
import { createRetrySchedule, type RetrySchedule } from './retry-schedule.js';
import { createWakeablePause, type WakeablePause } from './wakeable-pause.js';
import type { WorkerContext, WriteSettlementObserver } from './worker-context.js';
import { callDeadlineMs, claimBatchSize, queueErrorBackoffMs } from './worker-settings.js';

export interface DeliveryWorkerOptions {
  readonly queue: DeliveryQueue;
  readonly registry: TargetRegistry;
  readonly schedule: RetrySchedule;
  /** The retry schedule of compensation deliveries. @default createRetrySchedule(config.delivery.compensationRetrySchedule) */
  readonly compensationSchedule?: RetrySchedule;
  /** The validated config: `delivery` (lease, poll interval, retention) and each target's section. */
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** Epoch ms for due times, retries and claims. @default Date.now */
  readonly clock?: () => number;
  /** How long stop() waits for in-flight calls before releasing their deliveries. @default config.server.shutdownTimeoutMs */
  readonly stopTimeoutMs?: number;
  /** Told about write settlements, and asked to recover at start and every 10 minutes (the saga). @default none */
  readonly writeObserver?: WriteSettlementObserver;
}

export interface DeliveryWorker {
  /**
   * Stops claiming, waits up to the stop timeout for in-flight calls to settle, then releases what is
   * still held (QUEUED, due now, the attempt counted: it may have reached the upstream). Resolves once nothing is held; a second call returns
   * the first call's promise.
   */
  stop(): Promise<void>;
}

/** Why a delivery released at shutdown is queued again with an attempt counted. */
const RELEASED_MID_ATTEMPT =
  'released at shutdown while its attempt was running (the upstream may have applied it; a resend carries the same key)';

/** How often delivered and cancelled deliveries past the retention are removed. */
const PRUNE_INTERVAL_MS = 10 * 60_000;

/**
 * Starts one loop per registered target (a slow target never holds up another) and a periodic prune.
 * Queue errors are logged and retried with backoff: the worker never throws into the process, and a
 * delivery it claimed is never lost — it is settled, released on stop, or returned by its lease.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { queue, config } = options;
  const clock = options.clock ?? Date.now;
  const context: WorkerContext = {
    queue,
    schedule: options.schedule,
    compensationSchedule:
      options.compensationSchedule ?? createRetrySchedule(config.delivery.compensationRetrySchedule),
    logger: options.logger.child({ component: 'delivery-worker' }),
    metrics: options.metrics,
    clock,
    leaseMs: config.delivery.leaseMs,
    postponeMs: config.delivery.pollIntervalMs,
    held: new Map(),
    writeObserver: options.writeObserver,
  };
  let stopping = false;
  const pauses = new Map<string, WakeablePause>();
  const loops = options.registry.targets.map((target) => {
    const pause = createWakeablePause();
    pauses.set(target.id, pause);
    return runTargetLoop(context, target, options.config, pause, () => stopping);
  });
  // New due work in this process (an ASYNC order accepted here, a replay) wakes its target's loop at once.
  const unsubscribe = queue.onUpdate(({ delivery, previousState }) => {
    if (delivery.state !== 'QUEUED') return;
    if (previousState === 'IN_FLIGHT' && !context.held.has(delivery.id))
      context.logger.warn(
        {
          deliveryId: delivery.id,
          target: delivery.target,
          orderId: delivery.orderId,
          attempts: delivery.attempts,
        },
        'delivery lease expired: queued again (its worker died or hung)',
      );
    if ((delivery.nextAttemptAt ?? 0) <= clock()) pauses.get(delivery.target)?.wake();
  });
  const retentionMs = parseDuration(config.delivery.retention, 'retention');
  const prune = async () => {
    try {
      const removed = await queue.prune(clock() - retentionMs);
      if (removed > 0)
        context.logger.info({ removed }, 'pruned delivered and cancelled deliveries past the retention');
    } catch (error) {
      context.logger.warn({ err: error }, 'pruning old deliveries failed; the next prune tries again');
    }
  };
  void prune();
  // At start, and with every prune after: a rollback a crash (or a lost reconcile) left half done is finished.
  const recover = () => void options.writeObserver?.recover();
  recover();
  const pruneTimer = setInterval(() => {
    void prune();
    recover();
  }, PRUNE_INTERVAL_MS);
  pruneTimer.unref();
  context.logger.info({ targets: options.registry.targets.map(({ id }) => id) }, 'delivery worker started');

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        clearInterval(pruneTimer);
        for (const pause of pauses.values()) pause.wake();
        const timeoutMs = options.stopTimeoutMs ?? config.server.shutdownTimeoutMs;
        const finished = await settledWithin(Promise.all(loops), timeoutMs);
        if (!finished) await releaseHeld(context);
        unsubscribe();
        context.logger.info({ released: !finished }, 'delivery worker stopped');
      })();
      return stopped;
    },
  };
}

/** Private: one target's claim → send → settle loop, until stopping. */
async function runTargetLoop(
  context: WorkerContext,
  target: RegisteredTarget,
  config: Config,
  pause: WakeablePause,
  stopping: () => boolean,
): Promise<void> {
  const { settings } = target.module.section(config);
  const batchSize = claimBatchSize(settings);
  const deadlineMs = callDeadlineMs(settings);
  const { pollIntervalMs, leaseMs } = config.delivery;
  let queueFailures = 0;
  while (!stopping()) {
    let claimed: ClaimedDelivery[];
    try {
      claimed = await context.queue.claimDue(target.id, batchSize, leaseMs, context.clock());
      queueFailures = 0;
    } catch (error) {
      if (stopping() && error instanceof DeliveryQueueError && error.code === 'CLOSED') return;
      queueFailures++;
      const waitMs = queueErrorBackoffMs(queueFailures, pollIntervalMs);
      context.logger.error(
        { err: error, target: target.id, retryInMs: waitMs },
        'the delivery queue failed to hand out deliveries; retrying',
      );
      await pause.sleep(waitMs);
      continue;
    }
    for (const item of claimed) context.held.set(item.delivery.id, item);
    if (claimed.length > 0) {
      try {
        await deliverClaimed(context, target, claimed, deadlineMs);
      } catch (error) {
        // deliverClaimed never rejects by contract; a bug there must not end the loop or crash the process.
        // What it did not settle is released by its lease.
        for (const { delivery } of claimed) context.held.delete(delivery.id);
        context.logger.error({ err: error, target: target.id }, 'delivering a claimed batch failed');
      }
    }
    // A full batch means more may be due: claim again after one turn, so other loops and processes get theirs.
    if (claimed.length === batchSize) await nextTurn();
    else if (!stopping()) await pause.sleep(pollIntervalMs);
  }
}

/** Private: whether `promise` settled within `ms`. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Private: releases every delivery still held (its call outlived the stop timeout) as QUEUED due now, the
 * attempt counted. The call may still reach the upstream: the next attempt carries the same key, so the
 * upstream replays it. A release that fails leaves the delivery to its lease.
 */
async function releaseHeld(context: WorkerContext): Promise<void> {
  const now = context.clock();
  await Promise.all(
    [...context.held.values()].map(async ({ delivery, claim }) => {
      const fields = { deliveryId: delivery.id, target: delivery.target, orderId: delivery.orderId };
      try {
        // Its call was still running, so it may have reached the upstream: the attempt counts (see lease expiry).
        const answer = await context.queue.retryLater(delivery.id, claim, RELEASED_MID_ATTEMPT, now);
        if (answer.outcome === 'updated')
          context.logger.info(
            { ...fields, state: answer.delivery.state },
            'delivery released at shutdown: queued again',
          );
      } catch (error) {
        context.logger.warn(
          { ...fields, err: error },
          'could not release a delivery at shutdown; its lease returns it',
        );
      }
      context.held.delete(delivery.id);
    }),
  );
}
