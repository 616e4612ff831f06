// What every part of a running delivery worker shares: the queue, the schedule, telemetry and the claims it holds.
import type { GatewayMetrics, Logger } from '../observability/index.js';
import type { ClaimedDelivery, DeliveryQueue } from './delivery-queue.js';
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
}
