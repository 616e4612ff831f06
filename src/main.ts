// CLI entry: load config, start demo upstreams for targets without a URL (never in production), serve, shut down on signals.
import { type Config, ConfigError, loadConfig } from './config/index.js';
import {
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
} from './demo/index.js';
import { createLogger, type Logger, startTracing } from './observability/index.js';
import { createGateway } from './server.js';

interface RunningUpstreams {
  readonly config: Config;
  close(): Promise<void>;
}

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
    config: { ...config, targets: { inventory, crm } },
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
  if (config.tracing.endpoint || config.tracing.exporter)
    logger.info({ tracing: config.tracing }, 'tracing configured');
  const upstreams = await startMissingDemoUpstreams(config, logger);
  const gateway = await createGateway(upstreams.config, logger);
  const url = await gateway.listen();
  logger.info(
    { url, inventory: gateway.targets.inventory.url, crm: gateway.targets.crm.url },
    `Fanout Gateway ready at ${url}`,
  );

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    await gateway.close();
    await upstreams.close();
    await tracing.shutdown();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fanout-gateway: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
