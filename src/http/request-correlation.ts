// Per-request correlation: an id from x-request-id (or a new UUID) on every log line, and one line per request.
import { randomUUID } from 'node:crypto';
import {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';

/** An incoming x-request-id is kept when it is a sane token; anything else is replaced. */
const ACCEPTABLE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** Fastify's request logging, reduced to one line when a request completes (its default writes two). */
class OneLinePerRequest extends LogController {
  /** @param completedLevel the level of a request that completed without an error. */
  constructor(private readonly completedLevel: 'info' | 'debug') {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) request.log.error({ ...line, err: error }, 'request failed');
    else request.log[this.completedLevel](line, 'request completed');
  }
}

/** Fastify options: request ids from `x-request-id` (or a new UUID), logged as `requestId` on every line. */
export const requestIdOptions: Pick<FastifyServerOptions, 'genReqId' | 'logController'> = {
  genReqId: (request) => {
    const incoming = request.headers['x-request-id'];
    return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  },
  logController: new OneLinePerRequest('info'),
};

/** The same, with completed requests at debug level: scrapes and probes every few seconds are noise at info. */
export const quietRequestIdOptions: Pick<FastifyServerOptions, 'genReqId' | 'logController'> = {
  genReqId: requestIdOptions.genReqId,
  logController: new OneLinePerRequest('debug'),
};

/** Returns the request id to the caller as the x-request-id response header. */
export function registerRequestCorrelation(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}
