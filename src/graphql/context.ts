// The per-request GraphQL context: what resolvers may use, built fresh for every operation.
import type { Context } from '@opentelemetry/api';
import type { ClientWriteLimiter } from '../auth/client-write-limiter.js';
import type { CallerIdentity } from '../auth/index.js';
import type { DeliveryQueue, RetrySchedule } from '../delivery/index.js';
import type { IdempotencyStore } from '../idempotency/index.js';
import type { GatewayMetrics, LogSink } from '../observability/index.js';
import type { SagaRuntime } from '../saga/index.js';
import type { TargetRegistry } from '../targets/index.js';

export interface GatewayContext {
  /** Every target: what the mutations fan out to and `Query.targets` reports. */
  readonly targets: TargetRegistry;
  /** The durable queue ASYNC and SYNC_OR_QUEUE deliveries are committed to before the mutation answers. */
  readonly deliveries: DeliveryQueue;
  /** The delivery retry schedule (DELIVERY_RETRY_SCHEDULE): SYNC_OR_QUEUE dates a queued write's next attempt by it. */
  readonly deliveryRetrySchedule: RetrySchedule;
  /** What ALL_OR_NOTHING orders run on: the queue, the targets, the schedules (src/saga). */
  readonly saga: SagaRuntime;
  /** Most orders one placeOrders call may carry. */
  readonly maxOrdersPerRequest: number;
  /** Milliseconds a mutation may take when its options set no deadlineMs. */
  readonly defaultDeadlineMs: number;
  /** Charges each run's upstream writes to `client`; shared by every request and (with Redis) every instance. */
  readonly clientWriteLimiter: ClientWriteLimiter;
  readonly idempotency: {
    readonly store: IdempotencyStore;
    /** How long a completed payload is replayed for its key. */
    readonly ttlMs: number;
  };
  /** The authenticated caller: its client id, its scopes (see requireScope) and how it proved who it is. */
  readonly identity: CallerIdentity;
  /**
   * Who is calling: `identity.clientId` — the authenticated client id, or with authentication off the
   * `apollographql-client-name` header (or `anonymous`). Idempotency records and upstream keys are scoped to it.
   */
  readonly client: string;
  /** The request's `Idempotency-Key` HTTP header (validated like `options.idempotencyKey`), an alternative to it. */
  readonly idempotencyKeyHeader?: string;
  /** Epoch ms when the operation started: every mutation field's deadline counts from here. */
  readonly operationStartedAt: number;
  /** Set by resolvers, read by the replay plugin: a payload came from the gateway's idempotency store. */
  readonly replay: { idempotentReplay: boolean };
  /** The request's logger. */
  readonly logger: LogSink;
  readonly metrics: GatewayMetrics;
  /** The request's correlation id (`x-request-id`), forwarded to every upstream. */
  readonly requestId: string;
  /** The operation span's context, set by the tracing plugin once the operation starts. */
  readonly trace: { context: Context };
}
