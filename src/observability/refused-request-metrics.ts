// Fastify hooks that count requests a hook refused (401, 503, 400, 413) before the route's handler — Apollo — ever ran.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface RefusedRequestsOptions {
  /** Route patterns (the GraphQL endpoint) whose refusals are counted. */
  readonly routes: readonly string[];
  /** Called once per refused request with its HTTP status (400 or above). */
  readonly onRefused: (statusCode: number) => void;
}

/**
 * Registers a preHandler that marks requests reaching the handler and an onResponse hook that counts
 * the error answers of those that never did: refused by authentication or draining (onRequest), the body
 * parser (400, 413) or trusted documents (preHandler). Register it after every other preHandler on those
 * routes: a hook that answers stops the chain, so this one runs only when all before it let the request on.
 * Callback hooks, not async ones: no promise per request on the GraphQL hot path.
 */
export function countRefusedRequests(app: FastifyInstance, options: RefusedRequestsOptions): void {
  const reachedHandler = new WeakSet<FastifyRequest>();
  const watched = (request: FastifyRequest) => options.routes.includes(request.routeOptions.url ?? '');
  app.addHook('preHandler', (request, _reply, done) => {
    if (watched(request)) reachedHandler.add(request);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode >= 400 && !reachedHandler.has(request) && watched(request)) {
      options.onRefused(reply.statusCode);
    }
    done();
  });
}
