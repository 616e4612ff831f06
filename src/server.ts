// Composition root: config → targets → Apollo Server on Fastify, with health, the operator listener and graceful close.
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo from '@as-integrations/fastify';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  createCallerAuthenticator,
  logAuthenticationMode,
  registerCallerAuthentication,
} from './auth/index.js';
import type { Config } from './config/index.js';
import { type DeliveryQueue, type DeliveryWorker, openDeliveryQueue } from './delivery/index.js';
import { createIdempotencyStore, createOperatorListener, createWriteLimiter } from './gateway-services.js';
import {
  createApolloServer,
  createGatewaySchema,
  explorerLandingPagePlugin,
  type GatewayContext,
  GatewayErrorCode,
  operationMetricsPlugin,
  registerTrustedDocuments,
  startGraphQLWsServer,
  tracingPlugin,
  unauthenticatedError,
} from './graphql/index.js';
import {
  GRAPHIQL_PATH,
  httpServerOptions,
  type InflightRequest,
  listenerUrl,
  type Readiness,
  registerBodyLimitError,
  registerCors,
  registerGraphiqlRoutes,
  registerHealthRoutes,
  registerRequestCorrelation,
  requestIdOptions,
  trackInflightRequests,
} from './http/index.js';
import {
  countRefusedRequests,
  createMetrics,
  type GatewayMetrics,
  type Logger,
} from './observability/index.js';
import { createSagaRuntime, startSagaWorker } from './saga/index.js';
import { createTargetRegistry, type TargetClients, type TargetRegistry } from './targets/index.js';

export interface Gateway {
  readonly app: FastifyInstance;
  /** Every target, iterated in a fixed order or looked up by id. */
  readonly registry: TargetRegistry;
  /** Every target's client by id: the registry's `clients`. */
  readonly targets: TargetClients;
  readonly metrics: GatewayMetrics;
  /** The durable delivery queue (what Query.deliveries reads and the worker drains). */
  readonly deliveries: DeliveryQueue;
  /**
   * Starts the operator listener (unless METRICS_ENABLED is false), then the public one; resolves with
   * the GraphQL endpoint's URL.
   */
  listen(): Promise<string>;
  /**
   * The operator listener's base URL (`/metrics`, `/readyz` with details, `/healthz`), e.g.
   * `http://127.0.0.1:9464`, once listen() resolved; undefined before, or when it is turned off.
   */
  operatorUrl(): string | undefined;
  /**
   * Starts the shutdown: /readyz and new GraphQL requests answer 503 (health and metrics keep answering,
   * the listeners stay open) while in-flight requests finish. Resolves with the requests still running
   * when `timeoutMs` passed, or none when all finished; a second call returns the first call's promise.
   * @param timeoutMs @default config.server.shutdownTimeoutMs
   */
  drain(timeoutMs?: number): Promise<InflightRequest[]>;
  /**
   * Drains (unless drain() ran already), cuts the connections of abandoned requests, then closes the
   * public listener, the operator listener, Apollo, the idempotency store and the upstream pools.
   */
  close(): Promise<void>;
}

/**
 * Builds the gateway from a validated config whose targets have URLs and credentials
 * (main.ts fills them with the demo upstreams' when it starts those).
 */
export async function createGateway(config: Config, logger: Logger): Promise<Gateway> {
  const metrics = createMetrics();
  const registry = createTargetRegistry(config, metrics);
  const store = createIdempotencyStore(config, logger);
  // Opened before anything listens: a data directory or Redis it cannot use stops the start.
  const deliveries = await openDeliveryQueue(config);
  const saga = createSagaRuntime(config, { queue: deliveries, registry, logger, metrics });
  const clientWriteLimiter = createWriteLimiter(config, logger);
  const authenticator = createCallerAuthenticator(config.auth);
  logAuthenticationMode(authenticator, config, logger);
  const development = config.env !== 'production';
  // Typed with Fastify's base logger so the instance is the plain FastifyInstance that plugins expect.
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    ...requestIdOptions,
    ...httpServerOptions(config.http),
  });
  // First of all hooks: a browser's preflight is answered before authentication asks for credentials.
  await registerCors(app, config.http.corsOrigins);
  registerBodyLimitError(app, {
    limitBytes: config.http.bodyLimitBytes,
    code: GatewayErrorCode.LIMIT_EXCEEDED,
    badRequestCode: GatewayErrorCode.BAD_REQUEST,
  });
  // Built once: Apollo serves it over HTTP, graphql-ws over WebSocket on the same path.
  const schema = createGatewaySchema(config.server.subgraph);
  // No fastifyApolloDrainPlugin: close() drains the listener itself, bounded by the shutdown timeout.
  const apollo = createApolloServer({
    schema,
    logger,
    env: config.env,
    automaticPersistedQueries: !config.trustedDocuments.manifest,
    limits: config.limits,
    subgraph: config.server.subgraph,
    plugins: [
      operationMetricsPlugin({ metrics }),
      tracingPlugin(),
      development
        ? explorerLandingPagePlugin({ explorerPath: GRAPHIQL_PATH })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  if (config.server.subgraph)
    logger.info(
      'serving a Federation 2 subgraph: `_service { sdl }` publishes the schema to every caller the gateway lets run operations',
    );
  // An HTTP request, or a graphql-ws operation (which carries the socket's identity and upgrade headers).
  const context = async (request: ContextSource): Promise<GatewayContext> => ({
    targets: registry,
    deliveries,
    deliveryRetrySchedule: saga.schedule,
    saga,
    maxOrdersPerRequest: config.server.maxOrdersPerRequest,
    defaultDeadlineMs: config.fanout.defaultDeadlineMs,
    clientWriteLimiter,
    idempotency: { store, ttlMs: config.idempotency.ttlSeconds * 1000 },
    ...callerOf(request),
    idempotencyKeyHeader: singleHeader(request, 'idempotency-key'),
    operationStartedAt: Date.now(),
    replay: { idempotentReplay: false },
    logger: request.log,
    metrics,
    requestId: request.id,
    trace: { context: ROOT_CONTEXT },
  });
  await app.register(fastifyApollo(apollo), { context });
  const trustedDocuments = config.trustedDocuments.manifest;
  // Before Apollo parses anything: only the manifest's operations run (see README, Trusted documents).
  if (trustedDocuments) registerTrustedDocuments(app, { documents: trustedDocuments, routes: ['/graphql'] });
  // After every other preHandler: counts what hooks refused before Apollo, which the plugin never sees.
  countRefusedRequests(app, { routes: ['/graphql'], onRefused: metrics.graphql.refused });
  // Like Sandbox, development only: the explorer needs introspection, which is off in production. Its page
  // and assets need no credentials (authentication guards /graphql); the operations it sends there do.
  if (development) {
    registerGraphiqlRoutes(app, {
      endpoint: '/graphql',
      trustedDocumentsOnly: trustedDocuments !== undefined,
    });
  }

  let listening = false;
  registerRequestCorrelation(app);
  const inflight = trackInflightRequests(app, {
    refusedWhileDraining: ['/graphql'],
    refusalCode: GatewayErrorCode.SHUTTING_DOWN,
  });
  // After the draining refusal, before Apollo: the caller's identity scopes everything the request does.
  registerCallerAuthentication(app, authenticator, {
    routes: ['/graphql'],
    landingPage: development,
    codes: {
      unauthenticated: GatewayErrorCode.UNAUTHENTICATED,
      unavailable: GatewayErrorCode.AUTHENTICATION_UNAVAILABLE,
    },
  });
  // Responses sent while draining end their keep-alive connection, so close() need not wait for clients.
  app.addHook('onSend', async (_request, reply) => {
    if (inflight.draining()) reply.header('connection', 'close');
  });
  const readiness: Readiness = {
    phase: () => (inflight.draining() ? 'draining' : listening ? 'serving' : 'starting'),
    store,
    deliveries,
    targets: () => Object.fromEntries(registry.targets.map(({ id, client }) => [id, client.status()])),
  };
  registerHealthRoutes(app, readiness);
  // Subscriptions: graphql-ws on the public listener's /graphql, authenticated like HTTP; closed on drain.
  const subscriptions = startGraphQLWsServer({
    server: app.server,
    path: '/graphql',
    schema,
    authenticate: (headers) => authenticator.authenticate(headers),
    context,
    limits: config.limits,
    corsOrigins: config.http.corsOrigins,
    trustedDocuments,
    draining: () => inflight.draining(),
    logger,
    production: config.env === 'production',
  });
  const operator = createOperatorListener(config, loggerInstance, metrics, readiness);
  let operatorUrl: string | undefined;
  // Queue gauges (by state and target, lag) are read at scrape time, whether or not this process delivers.
  metrics.delivery.watchQueue(deliveries);
  let worker: DeliveryWorker | undefined;

  return {
    app,
    registry,
    targets: registry.clients,
    metrics,
    deliveries,
    async listen() {
      operatorUrl = await operator?.listen();
      try {
        await app.listen({ host: config.server.host, port: config.server.port });
      } catch (error) {
        await operator?.close();
        throw error;
      }
      listening = true;
      if (config.delivery.worker === 'on') worker = startSagaWorker(saga, config, logger);
      else
        logger.info(
          { queue: config.delivery.queue },
          'delivery worker off (FANOUT_WORKER=off): this gateway queues deliveries; `npm run worker` delivers them',
        );
      return `${listenerUrl(app, config.server.host)}/graphql`;
    },
    operatorUrl: () => operatorUrl,
    drain(timeoutMs = config.server.shutdownTimeoutMs) {
      // Sockets are told to go away at once, so their clients reconnect to another instance.
      void subscriptions.close();
      return inflight.drain(timeoutMs);
    },
    async close() {
      // First: stop claiming, finish or release in-flight deliveries while the queue and pools are open.
      await worker?.stop();
      await subscriptions.close();
      const abandoned = await inflight.drain(config.server.shutdownTimeoutMs);
      // An abandoned request keeps its connection busy, and the listener would wait for it to end.
      if (abandoned.length > 0) app.server.closeAllConnections();
      await app.close();
      // Closed after the public listener, so scrapes and probes see the whole drain.
      await operator?.close();
      await apollo.stop();
      const closed = Promise.all([
        registry.close(),
        store.close(),
        clientWriteLimiter.close(),
        deliveries.close(),
      ]);
      // An undici pool closes once its calls end, and an abandoned call ends only at its deadline: don't wait.
      if (abandoned.length === 0) await closed;
      else
        closed.catch((error: unknown) => logger.warn({ err: error }, 'closing upstream connections failed'));
    },
  };
}

/** What the GraphQL context is built from: an HTTP request, or a graphql-ws operation. */
type ContextSource = Pick<FastifyRequest, 'identity' | 'headers' | 'log' | 'id'>;

/**
 * Private: the caller the authentication hook found. A request it let through without one (a browser's
 * GET for the landing page) must not run an operation, so the context refuses it.
 */
function callerOf(request: Pick<FastifyRequest, 'identity'>): Pick<GatewayContext, 'identity' | 'client'> {
  const { identity } = request;
  if (!identity) throw unauthenticatedError();
  return { identity, client: identity.clientId };
}

function singleHeader(request: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
