// Starts the systems under test (gateway variants, baseline) as child processes against the same upstreams.
import { envVariables } from '../src/config/index.js';
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
export function upstreamEnv(upstreams: DemoUpstreams, port: number): Record<string, string> {
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

/** Private: how to start a system, and what its callers send. */
interface SystemOptions {
  readonly script: string;
  readonly env: Record<string, string>;
  readonly nodeArgs?: string[];
  readonly port: number;
  readonly requestHeaders?: Readonly<Record<string, string>>;
}

async function startSystem(
  name: string,
  options: SystemOptions,
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
  const { requestHeaders } = options;
  const sut = { name, url: `${origin}/graphql`, pid: child.pid, checkAnswer, requestHeaders };
  return { sut, process: child };
}

/** Which gateway to start: its name in the report, variables added to its environment, what callers send. */
export interface GatewayVariant {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  /** Headers on every request to it, e.g. the credential its AUTH_* settings accept. @default none */
  readonly requestHeaders?: Readonly<Record<string, string>>;
}

/**
 * Every AUTH_* variable (and `_FILE` twin) the gateway reads, empty (= unset): only a variant's own
 * settings count, never ones left in the shell running the bench.
 */
const NO_AUTH_SETTINGS: Readonly<Record<string, string>> = Object.fromEntries(
  envVariables
    .filter((variable) => variable.name.startsWith('AUTH_'))
    .flatMap((variable) => (variable.secret ? [variable.name, `${variable.name}_FILE`] : [variable.name]))
    .map((name) => [name, '']),
);

/** The gateway as configured for the main comparison: tracing off. */
export const UNTRACED_GATEWAY: GatewayVariant = { name: 'gateway', env: {} };

/**
 * `src/main.ts` in production mode, optionally with `--cpu-prof` (BENCH_PROFILE_DIR). Tracing and
 * authentication are off unless the variant turns them on, even when the shell running the bench has
 * OTEL_* or AUTH_* set (empty = unset).
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
    ...NO_AUTH_SETTINGS,
    // Production refuses to start without an authentication decision; the plain gateway measures the
    // fan-out alone (the authenticated variants set their own mode).
    AUTH_MODE: 'none',
    // The bench reads only the public /readyz; the operator port's default (9464) could be taken.
    METRICS_PORT: '0',
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    OTEL_TRACES_EXPORTER: '',
    ...variant.env,
    // Last, whatever the variant sets: the load comes from one client and is meant to be measured, not
    // refused as a runaway script.
    CLIENT_RATE_LIMIT_WRITES: '0',
  };
  const { requestHeaders } = variant;
  const options = { script: 'src/main.ts', env, nodeArgs, port, requestHeaders };
  return startSystem(variant.name, options, checkGatewayAnswer);
}

/** `bench/baseline-server.ts`: the hand-written fan-out floor. */
export async function startBaseline(upstreams: DemoUpstreams): Promise<StartedSystem> {
  const port = await findFreePort();
  const env = upstreamEnv(upstreams, port);
  return startSystem('baseline', { script: 'bench/baseline-server.ts', env, port }, checkBaselineAnswer);
}
