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

/** One outcome per registered target, keyed by target id. */
export type TargetOutcomes = { readonly [Id in TargetId]: Outcome<TargetValueOf<Id>> };

export interface FanoutResult {
  readonly orderId: string;
  readonly status: FanoutStatus;
  readonly outcomes: TargetOutcomes;
  /** Milliseconds from the start of the fan-out to the slowest target's outcome. */
  readonly durationMs: number;
}

export interface FanoutSession {
  /**
   * Sends the order to every target concurrently; settles when each has an outcome. Never rejects for
   * upstream failures.
   * @param settled outcomes already known from an earlier run of the same idempotent request: those
   * targets are not called again (their successes are replayed as they were)
   */
  placeOrder(order: Order, settled?: Partial<TargetOutcomes>): Promise<FanoutResult>;
}

/**
 * Creates a session with one DataLoader per registered target, in the registry's order. Orders placed in the same tick reach each target
 * as one `send` (so one batch call); loaders never cache, since every load is a write. Each order gets
 * a `fanout placeOrder` span (the parent of its single calls) and its outcomes are counted.
 */
export function createFanoutSession(
  registry: TargetRegistry,
  options: SendOptions,
  metrics: GatewayMetrics,
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
        // Every registered id is in `outcomes`, settled or sent, each from its own target: TargetOutcomes.
        outcomes: outcomes as TargetOutcomes,
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
