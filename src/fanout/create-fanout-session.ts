// The fan-out engine for one GraphQL operation: every order goes to every target at once, batched per tick.
import { ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import type { Outcome } from '../core/index.js';
import { Attr, type GatewayMetrics, tracer } from '../observability/index.js';
import type {
  Order,
  OrderAnswer,
  OrderRequest,
  SendOptions,
  TargetClient,
  TargetId,
  TargetRegistry,
  TargetValueOf,
} from '../targets/index.js';
import { type FanoutStatus, fanoutStatus } from './fanout-status.js';
import { queueTransientFailures, type TransientFailureQueueing } from './queue-transient-failures.js';
import type { QueuedDelivery } from './queued-delivery.js';
import type { TargetCompensation } from './target-compensation.js';

/** One outcome per registered target, keyed by target id. */
export type TargetOutcomes = { readonly [Id in TargetId]: Outcome<TargetValueOf<Id>> };

/** The targets whose write sits in the durable delivery queue, keyed by target id. */
export type QueuedTargets = { readonly [Id in TargetId]?: QueuedDelivery };

export interface FanoutResult {
  readonly orderId: string;
  readonly status: FanoutStatus;
  /**
   * Each target's outcome as it answered (for a queued target, the failure that made it queue); absent
   * for a target nothing was sent to now (ASYNC, or queued by an earlier run of the same key).
   */
  readonly outcomes: Partial<TargetOutcomes>;
  /** The targets answered as DeliveryQueued: every target listed here is reported queued. */
  readonly queued: QueuedTargets;
  /** Milliseconds from the start of the fan-out to the slowest target's outcome. */
  readonly durationMs: number;
  /** ALL_OR_NOTHING: the targets whose write the saga undid or is undoing. @default [] */
  readonly compensations?: readonly TargetCompensation[];
}

/** What an earlier, retryable run of the same idempotent request settled: those targets are not called again. */
export interface EarlierRun {
  /** Its successes, replayed as they were. */
  readonly outcomes?: Partial<TargetOutcomes>;
  /** Its queued writes, reported queued again (the queue delivers them). */
  readonly queued?: QueuedTargets;
}

export interface FanoutSession {
  /**
   * Sends the order to every target concurrently; settles when each has an outcome. Never rejects for
   * upstream failures.
   * @param earlier what an earlier run of the same idempotent request settled: those targets are not
   * called again (their successes are replayed as they were, their queued writes stay queued)
   */
  placeOrder(order: Order, earlier?: EarlierRun): Promise<FanoutResult>;
}

/**
 * Creates a session with one DataLoader per registered target, in the registry's order. Orders placed in the same tick reach each target
 * as one `send` (so one batch call); loaders never cache, since every load is a write. Each order gets
 * a `fanout placeOrder` span (the parent of its single calls) and its outcomes are counted.
 * @param mode.queueing SYNC_OR_QUEUE: where a target's transient failure is queued instead of reported.
 *   @default undefined (SYNC: every failure is reported)
 * @param mode.countsOrders whether each order's status and duration are counted here; false when the
 *   caller (the ALL_OR_NOTHING saga) decides the order's final status and counts it. @default true
 */
export function createFanoutSession(
  registry: TargetRegistry,
  options: SendOptions,
  metrics: GatewayMetrics,
  mode: { readonly queueing?: TransientFailureQueueing; readonly countsOrders?: boolean } = {},
): FanoutSession {
  const loaders = registry.targets.map(({ id: key, client: target }) => {
    const loader = new DataLoader<OrderRequest, Outcome<OrderAnswer>>(
      (requests) => target.send(requests, options),
      {
        cache: false,
      },
    );
    return { key, target, loader };
  });
  return {
    async placeOrder(order, earlier = {}) {
      const startedAt = performance.now();
      const parent = options.traceContext ?? ROOT_CONTEXT;
      const span = tracer.startSpan(
        'fanout placeOrder',
        { attributes: { [Attr.orderId]: order.orderId } },
        parent,
      );
      const request: OrderRequest = { order, traceContext: trace.setSpan(parent, span) };
      const outcomes: Record<string, Outcome<OrderAnswer>> = {};
      const queued: Record<string, QueuedDelivery> = {};
      for (const [key, outcome] of Object.entries(earlier.outcomes ?? {}))
        if (outcome) outcomes[key] = outcome;
      for (const [key, delivery] of Object.entries(earlier.queued ?? {}))
        if (delivery) queued[key] = delivery;
      const fresh = await Promise.all(
        loaders
          .filter(({ key }) => outcomes[key] === undefined && queued[key] === undefined)
          .map(async ({ key, target, loader }) => ({ key, target, outcome: await loader.load(request) })),
      );
      for (const { key, outcome } of fresh) outcomes[key] = outcome;
      if (mode.queueing) {
        const failures = fresh.flatMap(({ key, target, outcome }) =>
          outcome.ok
            ? []
            : [{ id: key, failure: outcome.failure, resendIsKeyed: target.sendsIdempotencyKeys }],
        );
        Object.assign(queued, await queueTransientFailures(order, failures, options, mode.queueing));
      }
      const durationMs = performance.now() - startedAt;
      const status = fanoutStatus(
        loaders.map(({ key }) =>
          queued[key] !== undefined ? 'queued' : outcomes[key]?.ok ? 'succeeded' : 'failed',
        ),
      );
      recordOrder(span, metrics, fresh, status, durationMs, mode.countsOrders ?? true);
      return {
        orderId: order.orderId,
        status,
        // Each id holds its own target's outcome (settled or sent) and, when queued, its queued delivery.
        outcomes: outcomes as Partial<TargetOutcomes>,
        queued: queued as QueuedTargets,
        durationMs,
      };
    },
  };
}

/** Private: ends the order's span and counts each outcome it sent for and (unless told not to) the order's status and duration. */
function recordOrder(
  span: Span,
  metrics: GatewayMetrics,
  fresh: readonly { readonly target: TargetClient<OrderAnswer>; readonly outcome: Outcome<OrderAnswer> }[],
  status: FanoutStatus,
  durationMs: number,
  countsOrder: boolean,
): void {
  for (const { target, outcome } of fresh) {
    metrics.targetOutcome(target.id, outcome.ok ? 'success' : outcome.failure.kind);
  }
  if (countsOrder) metrics.mutation(status, durationMs / 1000);
  span.setAttribute(Attr.status, status);
  if (status !== 'SUCCEEDED') span.setStatus({ code: SpanStatusCode.ERROR, message: status });
  span.end();
}
