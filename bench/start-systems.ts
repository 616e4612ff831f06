// Starts the systems under test (gateway variants, baseline) as child processes against the same upstreams.
import type { BenchSettings } from './bench-settings.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import { findFreePort } from './free-port.js';
import type { SystemUnderTest } from './measure-system.js';
import { type NodeProcess, startNodeProcess } from './start-process.js';
import { checkBaselineAnswer, checkGatewayAnswer } from './verify-sample.js';
import { waitForReady } from './wait-for-ready.js';

/** A system under test and the process serving it. */
export interface StartedSystem {
  readonly sut: SystemUnderTest;
  readonly process: NodeProcess;
}

/** The same upstream settings for both systems, under the gateway's variable names. */
function upstreamEnv(upstreams: DemoUpstreams, port: number): Record<string, string> {
  return {
    INVENTORY_API_URL: upstreams.inventoryUrl,
    INVENTORY_API_TOKEN: 'demo-inventory-token',
    CRM_API_URL: upstreams.crmUrl,
    CRM_API_KEY: 'demo-crm-key',
    HOST: '127.0.0.1',
    PORT: String(port),
    NODE_ENV: 'production',
  };
}

async function startSystem(
  name: string,
  options: { script: string; env: Record<string, string>; nodeArgs?: string[]; port: number },
  checkAnswer: SystemUnderTest['checkAnswer'],
): Promise<StartedSystem> {
  const child = startNodeProcess({
    script: options.script,
    env: options.env,
    nodeArgs: options.nodeArgs ?? [],
  });
  const origin = `http://127.0.0.1:${options.port}`;
  try {
    await waitForReady(`${origin}/readyz`, child);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { sut: { name, url: `${origin}/graphql`, pid: child.pid, checkAnswer }, process: child };
}

/** Which gateway to start: its name in the report, and variables added to its environment. */
export interface GatewayVariant {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
}

/** The gateway as configured for the main comparison: tracing off. */
export const UNTRACED_GATEWAY: GatewayVariant = { name: 'gateway', env: {} };

/**
 * `src/main.ts` in production mode, optionally with `--cpu-prof` (BENCH_PROFILE_DIR). Tracing is off
 * unless the variant turns it on, even when the shell running the bench has OTEL_* set (empty = unset).
 */
export async function startGateway(
  upstreams: DemoUpstreams,
  settings: BenchSettings,
  variant: GatewayVariant = UNTRACED_GATEWAY,
): Promise<StartedSystem> {
  const port = await findFreePort();
  const nodeArgs = settings.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.profileDir}`] : [];
  const env = {
    ...upstreamEnv(upstreams, port),
    LOG_LEVEL: 'warn',
    // Production refuses to start without an authentication decision; the bench measures the fan-out alone.
    AUTH_MODE: 'none',
    // The bench reads only the public /readyz; the operator port's default (9464) could be taken.
    METRICS_PORT: '0',
    // The load comes from one client and is meant to be measured, not refused as a runaway script.
    CLIENT_RATE_LIMIT_WRITES: '0',
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    OTEL_TRACES_EXPORTER: '',
    ...variant.env,
  };
  return startSystem(variant.name, { script: 'src/main.ts', env, nodeArgs, port }, checkGatewayAnswer);
}

/** `bench/baseline-server.ts`: the hand-written fan-out floor. */
export async function startBaseline(upstreams: DemoUpstreams): Promise<StartedSystem> {
  const port = await findFreePort();
  const env = upstreamEnv(upstreams, port);
  return startSystem('baseline', { script: 'bench/baseline-server.ts', env, port }, checkBaselineAnswer);
}
