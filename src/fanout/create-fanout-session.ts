// The fan-out engine for one GraphQL operation: every order goes to every target at once, batched per tick.
import { ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import { Attr, type GatewayMetrics, tracer } from '../observability/index.js';
import type { Order, OrderRequest, SendOptions, TargetClient } from '../targets/index.js';
import type { Outcome } from '../upstream/index.js';
import { type FanoutStatus, fanoutStatus } from './fanout-status.js';

/** The targets an order fans out to, keyed by the payload field that reports each one. */
export type TargetClients = Readonly<Record<string, TargetClient<unknown>>>;

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
  /** Sends the order to every target concurrently; settles when each has an outcome. Never rejects for upstream failures. */
  placeOrder(order: Order): Promise<FanoutResult<T>>;
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
    const loader = new DataLoader<OrderRequest, Outcome<unknown>>(
      (requests) => target.send(requests, options),
      {
        cache: false,
      },
    );
    return { key, target, loader };
  });
  return {
    async placeOrder(order) {
      const startedAt = performance.now();
      const parent = options.traceContext ?? ROOT_CONTEXT;
      const span = tracer.startSpan(
        'fanout placeOrder',
        { attributes: { [Attr.orderId]: order.orderId } },
        parent,
      );
      const request: OrderRequest = { order, traceContext: trace.setSpan(parent, span) };
      const settled = await Promise.all(
        loaders.map(async ({ key, loader }) => [key, await loader.load(request)] as const),
      );
      const durationMs = performance.now() - startedAt;
      const status = fanoutStatus(settled.map(([, outcome]) => outcome));
      recordOrder(span, metrics, loaders, settled, status, durationMs);
      return {
        orderId: order.orderId,
        status,
        // The entries were built from `targets`, so the keys and value types match TargetOutcomes<T>.
        outcomes: Object.fromEntries(settled) as TargetOutcomes<T>,
        durationMs,
      };
    },
  };
}

/** Private: ends the order's span and counts each target's outcome and the fan-out's duration. */
function recordOrder(
  span: Span,
  metrics: GatewayMetrics,
  loaders: readonly { readonly target: TargetClient<unknown> }[],
  settled: readonly (readonly [string, Outcome<unknown>])[],
  status: FanoutStatus,
  durationMs: number,
): void {
  settled.forEach(([, outcome], index) => {
    const target = loaders[index]?.target.id ?? 'unknown';
    metrics.targetOutcome(target, outcome.ok ? 'success' : outcome.failure.kind);
  });
  metrics.mutation(status, durationMs / 1000);
  span.setAttribute(Attr.status, status);
  if (status !== 'SUCCEEDED') span.setStatus({ code: SpanStatusCode.ERROR, message: status });
  span.end();
}
