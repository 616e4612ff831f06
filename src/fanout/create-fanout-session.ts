// The fan-out engine for one GraphQL operation: every order goes to every target at once, batched per tick.
import { ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import { Attr, type GatewayMetrics, tracer } from '../observability/index.js';
import type { Order, OrderAnswer, OrderRequest, SendOptions, TargetClient } from '../targets/index.js';
import type { Outcome } from '../upstream/index.js';
import { type FanoutStatus, fanoutStatus } from './fanout-status.js';

/** The targets an order fans out to, keyed by the payload field that reports each one. */
export type TargetClients = Readonly<Record<string, TargetClient<OrderAnswer>>>;

type ValueOf<C> = C extends TargetClient<infer V> ? V : never;

/** One outcome per target, keyed like the targets. */
export type TargetOutcomes<T extends TargetClients> = { readonly [K in keyof T]: Outcome<ValueOf<T[K]>> };

export interface FanoutResult<T extends TargetClients> {
  readonly orderId: string;
  readonly status: FanoutStatus;
  readonly outcomes: TargetOutcomes<T>;
  /** Milliseconds from the start of the fan-out to the slowest target's outcome. */
  readonly durationMs: number;
}

export interface FanoutSession<T extends TargetClients> {
  /**
   * Sends the order to every target concurrently; settles when each has an outcome. Never rejects for
   * upstream failures.
   * @param settled outcomes already known from an earlier run of the same idempotent request: those
   * targets are not called again (their successes are replayed as they were)
   */
  placeOrder(order: Order, settled?: Partial<TargetOutcomes<T>>): Promise<FanoutResult<T>>;
}

/**
 * Creates a session with one DataLoader per target. Orders placed in the same tick reach each target
 * as one `send` (so one batch call); loaders never cache, since every load is a write. Each order gets
 * a `fanout placeOrder` span (the parent of its single calls) and its outcomes are counted.
 */
export function createFanoutSession<T extends TargetClients>(
  targets: T,
  options: SendOptions,
  metrics: GatewayMetrics,
): FanoutSession<T> {
  const loaders = Object.entries(targets).map(([key, target]) => {
    const loader = new DataLoader<OrderRequest, Outcome<OrderAnswer>>(
      (requests) => target.send(requests, options),
      {
        cache: false,
      },
    );
    return { key, target, loader };
  });
  return {
    async placeOrder(order, settled = {}) {
      const startedAt = performance.now();
      const parent = options.traceContext ?? ROOT_CONTEXT;
      const span = tracer.startSpan(
        'fanout placeOrder',
        { attributes: { [Attr.orderId]: order.orderId } },
        parent,
      );
      const request: OrderRequest = { order, traceContext: trace.setSpan(parent, span) };
      const outcomes: Record<string, Outcome<OrderAnswer>> = {};
      for (const [key, outcome] of Object.entries(settled)) if (outcome) outcomes[key] = outcome;
      const fresh = await Promise.all(
        loaders
          .filter(({ key }) => outcomes[key] === undefined)
          .map(async ({ key, target, loader }) => ({ key, target, outcome: await loader.load(request) })),
      );
      for (const { key, outcome } of fresh) outcomes[key] = outcome;
      const durationMs = performance.now() - startedAt;
      const status = fanoutStatus(Object.values(outcomes));
      recordOrder(span, metrics, fresh, status, durationMs);
      return {
        orderId: order.orderId,
        status,
        // Every key of `targets` is in `outcomes`, settled or sent, so it matches TargetOutcomes<T>.
        outcomes: outcomes as TargetOutcomes<T>,
        durationMs,
      };
    },
  };
}

/** Private: ends the order's span and counts each outcome it sent for and the fan-out's duration. */
function recordOrder(
  span: Span,
  metrics: GatewayMetrics,
  fresh: readonly { readonly target: TargetClient<OrderAnswer>; readonly outcome: Outcome<OrderAnswer> }[],
  status: FanoutStatus,
  durationMs: number,
): void {
  for (const { target, outcome } of fresh) {
    metrics.targetOutcome(target.id, outcome.ok ? 'success' : outcome.failure.kind);
  }
  metrics.mutation(status, durationMs / 1000);
  span.setAttribute(Attr.status, status);
  if (status !== 'SUCCEEDED') span.setStatus({ code: SpanStatusCode.ERROR, message: status });
  span.end();
}
