// Composition root: config → targets → Apollo Server on Fastify, with health, metrics and graceful close.
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import fastifyApollo from '@as-integrations/fastify';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { type Config, ConfigError } from './config/index.js';
import {
  createApolloServer,
  type GatewayContext,
  GatewayErrorCode,
  type GatewayTargets,
  tracingPlugin,
} from './graphql/index.js';
import {
  type InflightRequest,
  registerHealthRoutes,
  registerMetricsRoute,
  registerRequestCorrelation,
  requestIdOptions,
  trackInflightRequests,
} from './http/index.js';
import {
  createMemoryIdempotencyStore,
  createRedisIdempotencyStore,
  type IdempotencyStore,
} from './idempotency/index.js';
import { createMetrics, type GatewayMetrics, type Logger } from './observability/index.js';
import { createTargetClient, crmTarget, inventoryTarget } from './targets/index.js';

export interface Gateway {
  readonly app: FastifyInstance;
  readonly targets: GatewayTargets;
  readonly metrics: GatewayMetrics;
  /** Starts listening on the configured host and port; resolves with the GraphQL endpoint's URL. */
  listen(): Promise<string>;
  /**
   * Starts the shutdown: /readyz and new GraphQL requests answer 503 (health and metrics keep answering,
   * the listener stays open) while in-flight requests finish. Resolves with the requests still running
   * when `timeoutMs` passed, or none when all finished; a second call returns the first call's promise.
   * @param timeoutMs @default config.server.shutdownTimeoutMs
   */
  drain(timeoutMs?: number): Promise<InflightRequest[]>;
  /**
   * Drains (unless drain() ran already), cuts the connections of abandoned requests, then closes the
   * listener, Apollo, the idempotency store and the upstream pools.
   */
  close(): Promise<void>;
}

/**
 * Builds the gateway from a validated config whose targets have URLs and credentials
 * (main.ts fills them with the demo upstreams' when it starts those).
 */
export async function createGateway(config: Config, logger: Logger): Promise<Gateway> {
  const metrics = createMetrics();
  const targets = createTargets(config, metrics);
  const store = createIdempotencyStore(config, logger);
  const development = config.env !== 'production';
  // Typed with Fastify's base logger so the instance is the plain FastifyInstance that plugins expect.
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    ...requestIdOptions,
  });
  // No fastifyApolloDrainPlugin: close() drains the listener itself, bounded by the shutdown timeout.
  const apollo = createApolloServer({
    logger,
    env: config.env,
    plugins: [
      tracingPlugin(),
      development
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  const context = async (request: FastifyRequest): Promise<GatewayContext> => ({
    targets,
    maxOrdersPerRequest: config.server.maxOrdersPerRequest,
    defaultDeadlineMs: config.fanout.defaultDeadlineMs,
    idempotency: { store, ttlMs: config.idempotency.ttlSeconds * 1000 },
    client: singleHeader(request, 'apollographql-client-name') ?? 'anonymous',
    idempotencyKeyHeader: singleHeader(request, 'idempotency-key'),
    operationStartedAt: Date.now(),
    replay: { idempotentReplay: false },
    logger: request.log,
    metrics,
    requestId: request.id,
    trace: { context: ROOT_CONTEXT },
  });
  await app.register(fastifyApollo(apollo), { context });

  let listening = false;
  registerRequestCorrelation(app);
  const inflight = trackInflightRequests(app, {
    refusedWhileDraining: ['/graphql'],
    refusalCode: GatewayErrorCode.SHUTTING_DOWN,
  });
  // Responses sent while draining end their keep-alive connection, so close() need not wait for clients.
  app.addHook('onSend', async (_request, reply) => {
    if (inflight.draining()) reply.header('connection', 'close');
  });
  registerHealthRoutes(app, {
    phase: () => (inflight.draining() ? 'draining' : listening ? 'serving' : 'starting'),
    store,
    targets: () => ({ inventory: targets.inventory.status(), crm: targets.crm.status() }),
  });
  registerMetricsRoute(app, metrics);

  return {
    app,
    targets,
    metrics,
    async listen() {
      await app.listen({ host: config.server.host, port: config.server.port });
      listening = true;
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.server.port;
      const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
      return `http://${host}:${port}/graphql`;
    },
    drain(timeoutMs = config.server.shutdownTimeoutMs) {
      return inflight.drain(timeoutMs);
    },
    async close() {
      const abandoned = await inflight.drain(config.server.shutdownTimeoutMs);
      // An abandoned request keeps its connection busy, and the listener would wait for it to end.
      if (abandoned.length > 0) app.server.closeAllConnections();
      await app.close();
      await apollo.stop();
      const closed = Promise.all([targets.inventory.close(), targets.crm.close(), store.close()]);
      // An undici pool closes once its calls end, and an abandoned call ends only at its deadline: don't wait.
      if (abandoned.length === 0) await closed;
      else
        closed.catch((error: unknown) => logger.warn({ err: error }, 'closing upstream connections failed'));
    },
  };
}

/** Private: Redis when configured, so instances share keys; else an in-process LRU. */
function createIdempotencyStore(config: Config, logger: Logger): IdempotencyStore {
  const { maxEntries, maxBytes } = config.idempotency;
  if (!config.redis.url) return createMemoryIdempotencyStore({ maxEntries, maxBytes });
  return createRedisIdempotencyStore({
    url: config.redis.url,
    keyPrefix: config.redis.keyPrefix,
    commandTimeoutMs: config.redis.commandTimeoutMs,
    onConnectionLost: (error) =>
      logger.error(
        { err: error },
        'Redis (idempotency store) is unreachable; keyed mutations fail until it is back',
      ),
  });
}

function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Private: one client per target, each with its own pool; a target without URL or credential is a config bug here. */
function createTargets(config: Config, metrics: GatewayMetrics): GatewayTargets {
  const { inventory, crm } = config.targets;
  if (!inventory.url || !inventory.token)
    throw new ConfigError(['INVENTORY_API_URL and INVENTORY_API_TOKEN are required']);
  if (!crm.url || !crm.apiKey) throw new ConfigError(['CRM_API_URL and CRM_API_KEY are required']);
  return {
    inventory: createTargetClient(inventoryTarget(inventory.token), inventory.url, inventory, metrics),
    crm: createTargetClient(crmTarget(crm.apiKey), crm.url, crm, metrics),
  };
}
