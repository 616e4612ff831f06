// GET /metrics: the gateway's Prometheus metrics in the text exposition format.
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../observability/index.js';

/** Registers GET /metrics; the operator listener serves it, never the public one. */
export function registerMetricsRoute(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
