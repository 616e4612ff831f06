// Fastify hooks for every request: a correlation id (x-request-id) and one log line when it completes.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/** An incoming x-request-id is kept when it is a sane token; anything else is replaced. */
const ACCEPTABLE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** Fastify options: request ids from `x-request-id` (or a new UUID), logged as `requestId` on every line. */
export const requestIdOptions: Pick<
  FastifyServerOptions,
  'genReqId' | 'requestIdLogLabel' | 'disableRequestLogging'
> = {
  genReqId: (request) => {
    const incoming = request.headers['x-request-id'];
    return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  },
  requestIdLogLabel: 'requestId',
  // Fastify's default is two lines per request; `onResponse` below writes one.
  disableRequestLogging: true,
};

/** Returns the request id to the caller and logs one line per request. */
export function registerRequestCorrelation(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
  });
}
