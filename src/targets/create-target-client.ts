// A target ready to use: its pool, its health, and `send` that picks single, batch or parallel calls.
import pMap from 'p-map';
import type { TargetConfig } from '../config/index.js';
import type { Outcome } from '../core/index.js';
import type { GatewayMetrics } from '../observability/index.js';
import { type CircuitState, createTargetPolicy } from '../resilience/index.js';
import { createSecretScrubber, createUpstreamPool } from '../upstream/index.js';
import type { CompensationRequest } from './compensation-request.js';
import { sendBatch } from './send-batch.js';
import { type CompensateOptions, type CompensationResult, sendCompensation } from './send-compensation.js';
import type { OrderRequest, SendOptions } from './send-options.js';
import { sendSingle } from './send-single.js';
import type { TargetCall } from './target-call.js';
import type { OrderAnswer, TargetDefinition } from './target-definition.js';
import { TargetHealth, type TargetHealthSnapshot } from './target-health.js';

export interface TargetClient<TValue extends OrderAnswer> {
  readonly id: string;
  readonly url: string;
  /**
   * Whether writes carry an Idempotency-Key (`<TARGET>_IDEMPOTENCY_KEYS`): only then may a write that
   * may have arrived be resent, since the upstream replays instead of applying it twice.
   */
  readonly sendsIdempotencyKeys: boolean;
  /** Sends the orders and settles each one; never rejects. Outcomes come back in input order. */
  send(orders: readonly OrderRequest[], options: SendOptions): Promise<Outcome<TValue>[]>;
  /**
   * Undoes one write (saga compensation): sends the request the target module built from the write's
   * success value (`module.compensation(value)`) through the same policies, with its own key. Never rejects.
   */
  compensate(request: CompensationRequest, options: CompensateOptions): Promise<Outcome<CompensationResult>>;
  status(): TargetStatus;
  /** Closes the target's connections once in-flight calls finish. */
  close(): Promise<void>;
}

/** A target's configuration without its URL and credential, which the definition and caller hold. */
export type TargetClientSettings = Omit<TargetConfig, 'url'>;

/** How a target is doing: calls in flight, recent failures, and its circuit. */
export interface TargetStatus extends TargetHealthSnapshot {
  readonly circuit: CircuitState;
}

/** Wires a target definition to its own keep-alive pool and settings. */
export function createTargetClient<TValue extends OrderAnswer>(
  definition: TargetDefinition<TValue>,
  url: string,
  settings: TargetClientSettings,
  metrics: GatewayMetrics,
): TargetClient<TValue> {
  const upstream = createUpstreamPool(url, {
    connections: settings.connections,
    tls: { ca: settings.caFile?.pem, cert: settings.clientCertFile?.pem, key: settings.clientKeyFile?.pem },
  });
  const health = new TargetHealth();
  const policy = createTargetPolicy(definition.label, settings);
  const circuitLevel = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;
  metrics.watchTarget(definition.id, {
    circuitState: () => circuitLevel[policy.circuitState()],
    inflight: () => health.snapshot().inflight,
  });
  const call: TargetCall<TValue> = {
    definition,
    upstream,
    url,
    metrics,
    attemptTimeoutMs: settings.timeoutMs,
    health,
    policy,
    sendsIdempotencyKeys: settings.idempotencyKeys,
    scrub: createSecretScrubber(definition.credentials),
    exposeUpstreamMessages: settings.exposeUpstreamMessages,
    maxResponseBytes: settings.maxResponseBytes,
    maxBatchResponseBytes: settings.maxBatchResponseBytes,
  };
  return {
    id: definition.id,
    url,
    sendsIdempotencyKeys: settings.idempotencyKeys,
    async send(orders, options) {
      const [only] = orders;
      if (orders.length === 1 && only) return [await sendSingle(call, only, options)];
      if (settings.batchEnabled) return sendBatch(call, orders, settings.maxBatchSize, options);
      return pMap(orders, (order) => sendSingle(call, order, options), { concurrency: settings.concurrency });
    },
    compensate: (request, options) => sendCompensation(call, request, options),
    status: () => ({ ...health.snapshot(), circuit: policy.circuitState() }),
    close: () => upstream.pool.close(),
  };
}
