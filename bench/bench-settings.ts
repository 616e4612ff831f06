// Benchmark knobs from the environment (BENCH_*), read once, each with its default.

/** How long and how hard each benchmark phase runs. */
export interface BenchSettings {
  /** Seconds of the measured loaded run. @default 10 (BENCH_DURATION_S) */
  readonly durationS: number;
  /** Seconds of load before each measured run, not recorded. @default 2 (BENCH_WARMUP_S) */
  readonly warmupS: number;
  /**
   * Seconds of load through a throwaway gateway before the first system, so the shared upstreams and
   * load generator are warm for all of them; `0` skips it. @default 10 (BENCH_STACK_WARMUP_S)
   */
  readonly stackWarmupS: number;
  /** Seconds of the unloaded (one connection) latency run. @default 5 (BENCH_UNLOADED_S) */
  readonly unloadedS: number;
  /** Concurrent connections of the loaded run. @default 50 (BENCH_CONNECTIONS) */
  readonly connections: number;
  /**
   * Connections of the delivery bench's paced ASYNC run (offered 1.5 × SYNC's req/s): autocannon paces each
   * connection on a 1 s timer, so few connections keep its per-connection bursts small. @default 5 (BENCH_PACED_CONNECTIONS)
   */
  readonly pacedConnections: number;
  /** When set, the gateway runs with `--cpu-prof` and writes its profile here. @default unset (BENCH_PROFILE_DIR) */
  readonly profileDir: string | undefined;
  /** Also measure the gateway with tracing on (OTLP/HTTP to an in-process sink); `0` skips it. @default on (BENCH_TRACING) */
  readonly tracing: boolean;
  /** Also measure the gateway with API key and with JWT authentication; `0` skips both. @default on (BENCH_AUTH) */
  readonly auth: boolean;
  /**
   * `delivery` runs only the durable delivery scenarios (no baseline, no variants); `saga` only the
   * ALL_OR_NOTHING vs BEST_EFFORT comparison (not part of the full run). @default unset: everything (BENCH_ONLY)
   */
  readonly only: 'delivery' | 'saga' | undefined;
  /** Also run the durable delivery scenarios (ASYNC vs SYNC, throughput, outage); `0` skips them. @default on (BENCH_DELIVERY) */
  readonly delivery: boolean;
  /** Deliveries per target pre-filled for the throughput scenario, per batching mode. @default 3000 (BENCH_DELIVERIES) */
  readonly deliveriesPerTarget: number;
  /** Seconds the demo CRM answers 503 in the queue lag scenario. @default 30 (BENCH_OUTAGE_S) */
  readonly outageS: number;
  /** ASYNC orders per second sent through the queue lag scenario. @default 100 (BENCH_OUTAGE_RATE) */
  readonly outageRate: number;
}

/** Reads the BENCH_* variables; a malformed number stops the bench with a message naming it. */
export function readBenchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  return {
    durationS: positiveNumber(env, 'BENCH_DURATION_S', 10),
    warmupS: positiveNumber(env, 'BENCH_WARMUP_S', 2),
    stackWarmupS: positiveNumber(env, 'BENCH_STACK_WARMUP_S', 10, { zeroAllowed: true }),
    unloadedS: positiveNumber(env, 'BENCH_UNLOADED_S', 5),
    connections: positiveNumber(env, 'BENCH_CONNECTIONS', 50),
    pacedConnections: Math.round(positiveNumber(env, 'BENCH_PACED_CONNECTIONS', 5)),
    profileDir: env.BENCH_PROFILE_DIR || undefined,
    tracing: onOff(env, 'BENCH_TRACING', true),
    auth: onOff(env, 'BENCH_AUTH', true),
    only: onlyScenarios(env),
    delivery: onOff(env, 'BENCH_DELIVERY', true),
    deliveriesPerTarget: Math.round(positiveNumber(env, 'BENCH_DELIVERIES', 3000)),
    outageS: positiveNumber(env, 'BENCH_OUTAGE_S', 30),
    outageRate: positiveNumber(env, 'BENCH_OUTAGE_RATE', 100),
  };
}

function onlyScenarios(env: NodeJS.ProcessEnv): BenchSettings['only'] {
  const raw = env.BENCH_ONLY;
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'delivery' || raw === 'saga') return raw;
  throw new Error(`BENCH_ONLY must be 'delivery' or 'saga' (or unset for everything), got '${raw}'`);
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`${name} must be 0 or 1, got '${raw}'`);
}

function positiveNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  options: { zeroAllowed?: boolean } = {},
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  const allowed = options.zeroAllowed ? value >= 0 : value > 0;
  if (!Number.isFinite(value) || !allowed)
    throw new Error(
      `${name} must be a ${options.zeroAllowed ? 'non-negative' : 'positive'} number, got '${raw}'`,
    );
  return value;
}
