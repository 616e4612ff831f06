// What every part of a running delivery worker shares: the queue, the schedule, telemetry and the claims it holds.
import type { Failure } from '../core/index.js';
import type { GatewayMetrics, Logger } from '../observability/index.js';
import type { ClaimedDelivery, Delivery, DeliveryQueue } from './delivery-queue.js';
import type { RetrySchedule } from './retry-schedule.js';

export interface WorkerContext {
  readonly queue: DeliveryQueue;
  /** When a write is retried, and after how many attempts it is DEAD. */
  readonly schedule: RetrySchedule;
  /** The same for compensations: far longer, as a compensation left undone leaves a write applied. */
  readonly compensationSchedule: RetrySchedule;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** Epoch ms: due times, retry times and claims are judged by it. */
  readonly clock: () => number;
  readonly leaseMs: number;
  /** How long a postponed delivery waits when its refusal names no time. */
  readonly postponeMs: number;
  /** Claimed and not settled yet, by delivery id: what stop() releases. */
  readonly held: Map<string, ClaimedDelivery>;
  /** Told about write settlements (the saga, for ALL_OR_NOTHING orders). @default none */
  readonly writeObserver?: WriteSettlementObserver | undefined;
}

/**
 * What a running worker tells about the writes it settles, so that a saga (src/saga) can roll an
 * ALL_OR_NOTHING order back. The delivery layer knows nothing of sagas: it only calls these. Each method
 * settles and never rejects (the observer logs its own problems).
 */
export interface WriteSettlementObserver {
  /** When the worker starts, then every 10 minutes: finish what a crash may have left half done. */
  recover(): Promise<void>;
  /**
   * Before a write is killed (DEAD) for `failure`: commit what resolves a write that may have been applied.
   * Resolves false when that could not be committed: the worker then postpones the write instead of
   * killing it, so nothing is lost.
   */
  beforeKill(delivery: Delivery, failure: Failure): Promise<boolean>;
  /** After a write (as it was claimed) settled DELIVERED, DEAD or CANCELLED. */
  afterSettled(delivery: Delivery): Promise<void>;
}

/** The `client` of the worker's calls: only part of derived keys, and every delivery carries its own key. */
export const WORKER_CLIENT = 'delivery-worker';
