// GET /metrics: the gateway's Prometheus metrics in the text exposition format.
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../observability/index.js';

export function registerMetricsRoute(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
