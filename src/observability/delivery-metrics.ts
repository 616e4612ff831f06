// Delivery metrics: deliveries by state and target and the queue lag (read from the queue at scrape time), attempts, dead letters.
import { Counter, Gauge, type Registry } from 'prom-client';

/** What the gauges read from the queue at scrape time (structurally the delivery queue's `stats()`). */
export interface DeliveryStatsSnapshot {
  readonly targets: readonly {
    readonly target: string;
    readonly counts: Readonly<Record<string, number>>;
    /** How long the oldest due delivery has waited past its due time, in ms (0 when none is due). */
    readonly lagMs: number;
  }[];
}

/** A source of queue statistics: the delivery queue itself. */
export interface DeliveryStatsSource {
  stats(): Promise<DeliveryStatsSnapshot>;
}

/** What a delivery attempt ended as: `success`, a failure kind, or `invalidPayload` (the stored payload is unusable). */
export type DeliveryAttemptLabel = string;

export interface DeliveryMetrics {
  /** One delivery attempt by the worker, and what it ended as (`success` or the failure kind). */
  attempt(target: string, outcome: DeliveryAttemptLabel): void;
  /** One delivery moved to the dead-letter list (DEAD). */
  dead(target: string): void;
  /**
   * Reads the gauges from this queue at every scrape (the latest call wins). A queue that fails to
   * answer leaves the gauges empty for that scrape rather than failing it.
   */
  watchQueue(source: DeliveryStatsSource): void;
}

/** Registers the delivery instruments on the gateway's (or worker's) registry. */
export function createDeliveryMetrics(registers: Registry[]): DeliveryMetrics {
  let source: DeliveryStatsSource | undefined;
  let snapshot: Promise<DeliveryStatsSnapshot | undefined> | undefined;
  // Both gauges are collected in one scrape: share one stats() call between them.
  const readStats = (): Promise<DeliveryStatsSnapshot | undefined> => {
    if (!source) return Promise.resolve(undefined);
    snapshot ??= source
      .stats()
      .catch(() => undefined)
      .finally(() => {
        snapshot = undefined;
      });
    return snapshot;
  };
  new Gauge({
    name: 'fanout_deliveries',
    help: 'Durable deliveries in the queue, by target and state (QUEUED, IN_FLIGHT, DELIVERED, DEAD, CANCELLED).',
    labelNames: ['target', 'state'] as const,
    registers,
    async collect() {
      const stats = await readStats();
      this.reset();
      for (const { target, counts } of stats?.targets ?? [])
        for (const [state, count] of Object.entries(counts)) this.set({ target, state }, count);
    },
  });
  new Gauge({
    name: 'fanout_delivery_queue_lag_seconds',
    help: 'Queue lag: how long the oldest due delivery of the target has waited past its due time (0 when none is due).',
    labelNames: ['target'] as const,
    registers,
    async collect() {
      const stats = await readStats();
      this.reset();
      for (const { target, lagMs } of stats?.targets ?? []) this.set({ target }, lagMs / 1000);
    },
  });
  const attempts = new Counter({
    name: 'fanout_delivery_attempts_total',
    help: 'Delivery attempts made by the worker, by target and outcome (success or the failure kind).',
    labelNames: ['target', 'outcome'] as const,
    registers,
  });
  const dead = new Counter({
    name: 'fanout_deliveries_dead_total',
    help: 'Deliveries moved to the dead-letter list (DEAD), by target.',
    labelNames: ['target'] as const,
    registers,
  });
  return {
    attempt: (target, outcome) => attempts.inc({ target, outcome }),
    dead: (target) => dead.inc({ target }),
    watchQueue(watched) {
      source = watched;
    },
  };
}
