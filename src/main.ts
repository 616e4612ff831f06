// CLI entry: load config, start demo upstreams for targets without a URL (never in production), serve, drain on signals.
import { type Config, ConfigError, loadConfig, redactUrlCredentials } from './config/index.js';
import {
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
} from './demo/index.js';
import { createLogger, type Logger, startTracing, type Tracing } from './observability/index.js';
import { createGateway, type Gateway } from './server.js';

interface RunningUpstreams {
  readonly config: Config;
  close(): Promise<void>;
}

/** What a shutdown stops, in order, once the gateway has drained. */
interface ShutdownParts {
  readonly gateway: Gateway;
  readonly upstreams: RunningUpstreams;
  readonly tracing: Tracing;
}

/** Time past the drain timeout for closing the listener, pools and tracing before exiting regardless. */
const CLOSE_GRACE_MS = 5000;

/** Private: outside production, a target without a URL gets an embedded demo server on loopback. */
async function startMissingDemoUpstreams(config: Config, logger: Logger): Promise<RunningUpstreams> {
  const closers: (() => Promise<void>)[] = [];
  let { inventory, crm } = config.targets;
  if (config.env !== 'production' && !inventory.url) {
    const demo = await createInventoryServer({ latencyMs: config.demo.inventoryLatencyMs });
    closers.push(() => demo.close());
    inventory = { ...inventory, url: demo.url, token: DEMO_INVENTORY_TOKEN };
    logger.info({ url: demo.url }, 'INVENTORY_API_URL is not set: using the embedded demo Inventory API');
  }
  if (config.env !== 'production' && !crm.url) {
    const demo = await createCrmServer({ latencyMs: config.demo.crmLatencyMs });
    closers.push(() => demo.close());
    crm = { ...crm, url: demo.url, apiKey: DEMO_CRM_API_KEY };
    logger.info({ url: demo.url }, 'CRM_API_URL is not set: using the embedded demo CRM API');
  }
  return {
    config: { ...config, targets: { ...config.targets, inventory, crm } },
    close: async () => {
      await Promise.all(closers.map((close) => close()));
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`fanout-gateway: ${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ ...config.log, development: config.env === 'development' });
  const tracing = await startTracing(config.tracing);
  const { endpoint } = config.tracing;
  if (endpoint || config.tracing.exporter) {
    const shown = { ...config.tracing, endpoint: endpoint && redactUrlCredentials(endpoint) };
    logger.info({ tracing: shown }, 'tracing configured');
  }
  const upstreams = await startMissingDemoUpstreams(config, logger);
  const gateway = await createGateway(upstreams.config, logger);
  const url = await gateway.listen();
  const operatorUrl = gateway.operatorUrl();
  const metricsUrl = operatorUrl && `${operatorUrl}/metrics`;
  const targetUrls = Object.fromEntries(gateway.registry.targets.map(({ id, client }) => [id, client.url]));
  logger.info(
    { url, metricsUrl, ...targetUrls },
    `Fanout Gateway ready at ${url}${metricsUrl ? `; metrics at ${metricsUrl}` : ''}`,
  );
  handleTerminationSignals({ gateway, upstreams, tracing }, config.server.shutdownTimeoutMs, logger);
}

/**
 * Private: the one owner of SIGTERM and SIGINT (Apollo registers none). The first signal drains, then
 * exits 0, or 1 when requests were still running at `timeoutMs`. Later signals are logged and ignored:
 * the drain is already bounded, and SIGKILL is the way to stop at once.
 */
function handleTerminationSignals(parts: ShutdownParts, timeoutMs: number, logger: Logger): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.warn({ signal }, 'already shutting down: signal ignored; the drain ends within its timeout');
      return;
    }
    shuttingDown = true;
    // A close that hangs past the drain must not keep the process: give up and report failure.
    setTimeout(() => {
      logger.fatal({ timeoutMs, graceMs: CLOSE_GRACE_MS }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, timeoutMs + CLOSE_GRACE_MS).unref();
    shutDown(parts, signal, timeoutMs, logger).then(
      (exitCode) => process.exit(exitCode),
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Private: drain (bounded), name what was abandoned, close everything; resolves with the exit code. */
async function shutDown(
  { gateway, upstreams, tracing }: ShutdownParts,
  signal: NodeJS.Signals,
  timeoutMs: number,
  logger: Logger,
): Promise<number> {
  // Draining starts before the log line, so whoever reads the line sees /readyz answer 503.
  const drained = gateway.drain(timeoutMs);
  logger.info({ signal, timeoutMs }, 'shutting down: finishing in-flight requests, taking no new ones');
  const abandoned = await drained;
  if (abandoned.length > 0) {
    logger.error(
      { inflight: abandoned.length, timeoutMs, requests: abandoned },
      `shutdown timeout passed: abandoning ${abandoned.length} in-flight request(s)`,
    );
  }
  await gateway.close();
  await upstreams.close();
  await tracing.shutdown();
  const exitCode = abandoned.length > 0 ? 1 : 0;
  logger.info({ exitCode }, 'stopped');
  return exitCode;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fanout-gateway: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
