// Processes of the durable delivery scenarios: a gateway on its own SQLite queue, a standalone worker, temp data dirs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DeliveryQueue, openSqliteDeliveryQueue } from '../src/delivery/index.js';
import type { BenchSettings } from './bench-settings.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import { findFreePort } from './free-port.js';
import { type NodeProcess, startNodeProcess } from './start-process.js';
import { type StartedSystem, startGateway, upstreamEnv } from './start-systems.js';
import { waitForReady } from './wait-for-ready.js';

/**
 * Delivery settings every delivery scenario pins, so a shell's DELIVERY_* or REDIS_URL never changes
 * what is measured: the embedded SQLite queue in the scenario's own directory.
 */
function queueEnv(dataDir: string, extra: Readonly<Record<string, string>>): Record<string, string> {
  return {
    DELIVERY_QUEUE: 'sqlite',
    FANOUT_DATA_DIR: dataDir,
    REDIS_URL: '',
    DELIVERY_RETRY_SCHEDULE: '',
    DELIVERY_LEASE_MS: '',
    DELIVERY_POLL_INTERVAL_MS: '',
    ...extra,
  };
}

/** A fresh directory for one scenario's `deliveries.sqlite`, on the same disk as the rest (fsync is real). */
export function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'fanout-bench-delivery-'));
}

export function removeDataDir(dataDir: string): Promise<void> {
  return rm(dataDir, { recursive: true, force: true });
}

/** The bench's own handle on a scenario's queue: fills it, watches its stats and rows. */
export function openBenchQueue(dataDir: string): Promise<DeliveryQueue> {
  return openSqliteDeliveryQueue({ dataDir });
}

/** The gateway as in the main comparison, on the SQLite queue in `dataDir`; `env` adds e.g. FANOUT_WORKER. */
export function startDeliveryGateway(
  name: string,
  upstreams: DemoUpstreams,
  settings: BenchSettings,
  dataDir: string,
  env: Readonly<Record<string, string>>,
): Promise<StartedSystem> {
  return startGateway(upstreams, settings, { name, env: queueEnv(dataDir, env) });
}

/**
 * `src/worker.ts` alone (what `npm run worker` runs) on the queue in `dataDir`, with `--cpu-prof` when
 * `profileDir` is given; resolves once its /readyz answers.
 */
export async function startStandaloneWorker(
  upstreams: DemoUpstreams,
  dataDir: string,
  env: Readonly<Record<string, string>>,
  profileDir?: string,
): Promise<NodeProcess> {
  const metricsPort = await findFreePort();
  const child = startNodeProcess({
    script: 'src/worker.ts',
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    env: {
      ...upstreamEnv(upstreams, 0),
      LOG_LEVEL: 'warn',
      AUTH_MODE: 'none',
      METRICS_ENABLED: 'true',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_TRACES_EXPORTER: '',
      ...queueEnv(dataDir, env),
    },
  });
  try {
    await waitForReady(`http://127.0.0.1:${metricsPort}/readyz`, child);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return child;
}
