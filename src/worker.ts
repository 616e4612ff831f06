// CLI entry of a delivery worker alone (`npm run worker`): delivers queued writes; the gateway runs with FANOUT_WORKER=off.
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { type Config, ConfigError, loadConfig } from './config/index.js';
import { type DeliveryQueue, type DeliveryWorker, openDeliveryQueue } from './delivery/index.js';
import { listenerUrl, quietRequestIdOptions, registerMetricsRoute } from './http/index.js';
import {
  buildInfo,
  createLogger,
  createMetrics,
  type GatewayMetrics,
  type Logger,
  startTracing,
} from './observability/index.js';
import { createSagaRuntime, startSagaWorker } from './saga/index.js';
import { createTargetRegistry, type TargetRegistry } from './targets/index.js';

/** Time past the stop timeout for closing the queue, pools and tracing before exiting regardless. */
const CLOSE_GRACE_MS = 5000;

interface RunningWorker {
  readonly worker: DeliveryWorker;
  readonly queue: DeliveryQueue;
  readonly registry: TargetRegistry;
  readonly operator: OperatorListener | undefined;
}

interface OperatorListener {
  readonly url: string;
  close(): Promise<void>;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`fanout-worker: ${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ ...config.log, development: config.env === 'development' });
  const tracing = await startTracing(config.tracing);
  const metrics = createMetrics();
  // No demo upstreams here: a worker delivers to the upstreams the gateway wrote for, so it needs their URLs.
  let registry: TargetRegistry;
  try {
    registry = createTargetRegistry(config, metrics);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`fanout-worker: ${error.message} (a worker never starts demo upstreams)\n`);
    process.exit(1);
  }
  const queue = await openDeliveryQueue(config);
  metrics.delivery.watchQueue(queue);
  const operator = config.metrics.enabled
    ? await startOperatorListener(config, metrics, queue, logger)
    : undefined;
  const saga = createSagaRuntime(config, { queue, registry, logger, metrics });
  const worker = startSagaWorker(saga, config, logger);
  const targetUrls = Object.fromEntries(registry.targets.map(({ id, client }) => [id, client.url]));
  const metricsUrl = operator && `${operator.url}/metrics`;
  logger.info(
    { queue: config.delivery.queue, metricsUrl, ...targetUrls },
    `Fanout delivery worker ready${metricsUrl ? `; metrics at ${metricsUrl}` : ''}`,
  );
  const running: RunningWorker = { worker, queue, registry, operator };
  handleTerminationSignals(running, config.server.shutdownTimeoutMs, logger, () => tracing.shutdown());
}

/**
 * Private: /metrics, /healthz and /readyz (the queue answers) on the operator port; the worker serves no
 * GraphQL, so it needs none of the gateway's listener.
 */
async function startOperatorListener(
  config: Config,
  metrics: GatewayMetrics,
  queue: DeliveryQueue,
  logger: Logger,
): Promise<OperatorListener> {
  // Typed with Fastify's base logger so the instance is the plain FastifyInstance the routes expect.
  const loggerInstance: FastifyBaseLogger = logger.child({ listener: 'operator' });
  const app = Fastify({ loggerInstance, forceCloseConnections: 'idle', ...quietRequestIdOptions });
  registerMetricsRoute(app, metrics);
  app.get('/healthz', async () => ({ status: 'ok', version: buildInfo().version }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await queue.ping();
      return { status: 'ready' };
    } catch {
      reply.code(503);
      return { status: 'unavailable', reason: 'the delivery queue cannot be reached' };
    }
  });
  await app.listen({ host: config.metrics.host, port: config.metrics.port });
  return { url: listenerUrl(app, config.metrics.host), close: () => app.close() };
}

/**
 * Private: the first SIGTERM or SIGINT stops the worker (in-flight deliveries finish or are released),
 * closes everything and exits 0; later signals are ignored, as the stop is bounded.
 */
function handleTerminationSignals(
  running: RunningWorker,
  timeoutMs: number,
  logger: Logger,
  shutdownTracing: () => Promise<void>,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'already stopping: signal ignored');
      return;
    }
    stopping = true;
    setTimeout(() => {
      logger.fatal({ timeoutMs, graceMs: CLOSE_GRACE_MS }, 'stopping did not finish in time: exiting');
      process.exit(1);
    }, timeoutMs + CLOSE_GRACE_MS).unref();
    logger.info({ signal }, 'stopping: no new claims; finishing or releasing in-flight deliveries');
    stop(running, shutdownTracing).then(
      () => {
        logger.info({ exitCode: 0 }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.fatal({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Private: the worker first (it uses the queue and pools), then the rest. */
async function stop(running: RunningWorker, shutdownTracing: () => Promise<void>): Promise<void> {
  await running.worker.stop();
  await running.operator?.close();
  await Promise.all([running.queue.close(), running.registry.close()]);
  await shutdownTracing();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fanout-worker: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
