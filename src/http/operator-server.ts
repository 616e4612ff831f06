// The operator listener: /metrics, /readyz with its reason and the targets' circuits, and /healthz, on a port of its own.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../observability/index.js';
import { type Readiness, registerHealthRoutes } from './health-routes.js';
import { listenerUrl } from './listener-url.js';
import { registerMetricsRoute } from './metrics-route.js';
import { quietRequestIdOptions } from './request-correlation.js';

export interface OperatorServerOptions {
  /** Interface to listen on; loopback keeps metrics and upstream state private. @default 127.0.0.1 (METRICS_HOST) */
  readonly host: string;
  /** Port to listen on (0 picks a free one). @default 9464 (METRICS_PORT) */
  readonly port: number;
  readonly logger: FastifyBaseLogger;
  readonly metrics: GatewayMetrics;
  /** The same readiness the public listener reports, here with reasons and circuits. */
  readonly readiness: Readiness;
}

export interface OperatorServer {
  readonly app: FastifyInstance;
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:9464`. */
  listen(): Promise<string>;
  /** Closes the listener; idle keep-alive connections (a scraper's) are cut, answers in progress finish. */
  close(): Promise<void>;
}

/**
 * Builds the operator listener. It has no auth and no CORS: it is meant for Prometheus and the
 * orchestrator, reached on a private interface, never for browsers or API clients.
 */
export function createOperatorServer(options: OperatorServerOptions): OperatorServer {
  const app = Fastify({
    loggerInstance: options.logger.child({ listener: 'operator' }),
    forceCloseConnections: 'idle',
    ...quietRequestIdOptions,
  });
  registerHealthRoutes(app, options.readiness, { details: true });
  registerMetricsRoute(app, options.metrics);
  return {
    app,
    async listen() {
      try {
        await app.listen({ host: options.host, port: options.port });
      } catch (error) {
        const where = `${options.host}:${options.port}`;
        const hint = 'set METRICS_PORT (0 picks a free port), or METRICS_ENABLED=false to turn it off';
        const message = `the operator listener (metrics) cannot listen on ${where}: ${errorMessage(error)}; ${hint}`;
        throw new Error(message, { cause: error });
      }
      return listenerUrl(app, options.host);
    },
    close: () => app.close(),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
