// Prometheus metrics on their own registry: what the gateway records, with bounded label sets only.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { boundedLabelValues } from './bounded-label-values.js';
import { buildInfo } from './build-info.js';
import { type CompensationMetrics, createCompensationMetrics } from './compensation-metrics.js';
import { createDeliveryMetrics, type DeliveryMetrics } from './delivery-metrics.js';
import { createGraphQLRequestMetrics, type GraphQLRequestMetrics } from './graphql-request-metrics.js';

/** What an upstream attempt ended as, for labels: an outcome kind or `success`. */
export type OutcomeLabel =
  | 'success'
  | 'rejected'
  | 'unavailable'
  | 'timeout'
  | 'invalidResponse'
  | 'circuitOpen'
  | 'rateLimited';

/** `2xx` … `5xx`, or `error` when no answer came. */
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'error';

/** Live values read at scrape time. */
export interface TargetGauges {
  /** 0 closed, 1 half-open, 2 open. */
  circuitState(): number;
  inflight(): number;
}

export interface GatewayMetrics {
  readonly registry: Registry;
  /** One HTTP attempt to a target. */
  upstreamAttempt(target: string, statusClass: StatusClass, outcome: OutcomeLabel, seconds: number): void;
  /** One order's final outcome at one target. */
  targetOutcome(target: string, kind: OutcomeLabel): void;
  /** One order's fan-out, from start to its slowest target's outcome. */
  mutation(status: string, seconds: number): void;
  /** One retry (an attempt after the first). */
  retry(target: string): void;
  /** Registers the live gauges of a target. */
  watchTarget(target: string, gauges: TargetGauges): void;
  /** One mutation refused because its client was over its limit of upstream writes. */
  clientRateLimited(client: string): void;
  /** GraphQL requests per operation, client and outcome, and requests refused before any operation ran. */
  readonly graphql: GraphQLRequestMetrics;
  /** Durable deliveries: queue gauges read at scrape time, worker attempts and dead letters. */
  readonly delivery: DeliveryMetrics;
  /** Saga compensations: those that went DEAD (an operator alert). */
  readonly compensation: CompensationMetrics;
}

/** Latency buckets for calls on loopback or in a data centre: 5 ms to 10 s. */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Creates the metrics on a fresh registry (one per gateway, so instances in one process never clash). */
export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const attemptDuration = new Histogram({
    name: 'fanout_upstream_request_duration_seconds',
    help: 'Duration of one HTTP attempt to an upstream target, by outcome.',
    labelNames: ['target', 'outcome'] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const attempts = new Counter({
    name: 'fanout_upstream_requests_total',
    help: 'HTTP attempts sent to upstream targets, by status class (error: no answer).',
    labelNames: ['target', 'status_class'] as const,
    registers,
  });
  const outcomes = new Counter({
    name: 'fanout_outcomes_total',
    help: "Orders' final outcomes per target: success or the failure kind.",
    labelNames: ['target', 'kind'] as const,
    registers,
  });
  const mutationDuration = new Histogram({
    name: 'fanout_mutation_duration_seconds',
    help: "Duration of one order's fan-out to every target, by overall status.",
    labelNames: ['status'] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const retries = new Counter({
    name: 'fanout_retries_total',
    help: 'Attempts made after the first one (retries), per target.',
    labelNames: ['target'] as const,
    registers,
  });
  const clientRateLimited = new Counter({
    name: 'fanout_client_rate_limited_total',
    help: 'Mutations refused because the client was over its upstream-write limit (first 100 clients by name, then "other").',
    labelNames: ['client'] as const,
    registers,
  });
  // One bound for every per-client metric, so a client has the same label (its id or "other") in each.
  const clientLabel = boundedLabelValues();
  const graphql = createGraphQLRequestMetrics({ registers, buckets: SECONDS_BUCKETS, clientLabel });
  const build = buildInfo();
  new Gauge({
    name: 'fanout_build_info',
    help: 'Always 1; its labels say which gateway version runs on which Node.js version.',
    labelNames: ['version', 'node_version'] as const,
    registers,
  }).set({ version: build.version, node_version: build.nodeVersion }, 1);
  const watched = new Map<string, TargetGauges>();
  new Gauge({
    name: 'fanout_circuit_state',
    help: 'Circuit breaker state per target: 0 closed, 1 half-open, 2 open.',
    labelNames: ['target'] as const,
    registers,
    collect() {
      for (const [target, gauges] of watched) this.set({ target }, gauges.circuitState());
    },
  });
  new Gauge({
    name: 'fanout_inflight',
    help: 'HTTP attempts to the target in flight right now.',
    labelNames: ['target'] as const,
    registers,
    collect() {
      for (const [target, gauges] of watched) this.set({ target }, gauges.inflight());
    },
  });
  return {
    registry,
    upstreamAttempt(target, statusClass, outcome, seconds) {
      attemptDuration.observe({ target, outcome }, seconds);
      attempts.inc({ target, status_class: statusClass });
    },
    targetOutcome: (target, kind) => outcomes.inc({ target, kind }),
    mutation: (status, seconds) => mutationDuration.observe({ status }, seconds),
    retry: (target) => retries.inc({ target }),
    watchTarget: (target, gauges) => {
      watched.set(target, gauges);
    },
    clientRateLimited: (client) => clientRateLimited.inc({ client: clientLabel(client) }),
    graphql,
    delivery: createDeliveryMetrics(registers),
    compensation: createCompensationMetrics(registers),
  };
}
