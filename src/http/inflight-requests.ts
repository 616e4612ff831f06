// In-flight request tracking for a bounded drain: who is still running, and 503 for new GraphQL work once draining.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** A request that has started and not yet been answered, as the shutdown log reports it. */
export interface InflightRequest {
  readonly requestId: string;
  readonly method: string;
  /** The URL path, without the query string (which may carry variables). */
  readonly path: string;
  /** The GraphQL operation's name, when the body has been read and names one. */
  readonly operationName?: string;
  readonly runningMs: number;
}

export interface InflightRequestsOptions {
  /** Route patterns (GraphQL endpoints) that answer 503 with a GraphQL error once draining has begun. */
  readonly refusedWhileDraining: readonly string[];
  /** The `extensions.code` of the GraphQL error those routes answer with (the gateway's SHUTTING_DOWN). */
  readonly refusalCode: string;
}

export interface InflightRequests {
  /** Requests started and not yet answered, oldest first. */
  list(): InflightRequest[];
  /** True once `drain` has been called. */
  draining(): boolean;
  /**
   * Refuses new work on the refused routes from now on and waits up to `timeoutMs` for the requests in
   * flight to be answered. Resolves with those still running when the time ran out (empty when all
   * finished). Later calls return the first call's promise.
   */
  drain(timeoutMs: number): Promise<InflightRequest[]>;
}

const REFUSAL_MESSAGE =
  'The gateway is shutting down and takes no new requests; send this one to another instance';

/** Registers the hooks that count requests (keyed by request, as client-sent ids may repeat) and refuse new work. */
export function trackInflightRequests(
  app: FastifyInstance,
  options: InflightRequestsOptions,
): InflightRequests {
  const running = new Map<FastifyRequest, number>();
  let drained: Promise<InflightRequest[]> | undefined;
  let onIdle: (() => void) | undefined;

  app.addHook('onRequest', async (request, reply) => {
    if (drained && options.refusedWhileDraining.includes(request.routeOptions.url ?? '')) {
      return refuse(reply, options.refusalCode);
    }
    running.set(request, performance.now());
    // 'close' fires once the response is sent, or when the client went away: either way nobody awaits it.
    reply.raw.once('close', () => {
      running.delete(request);
      if (running.size === 0) onIdle?.();
    });
  });

  const list = (): InflightRequest[] =>
    [...running].map(([request, startedAt]) => describeRequest(request, startedAt));

  return {
    list,
    draining: () => drained !== undefined,
    drain(timeoutMs) {
      drained ??= new Promise<InflightRequest[]>((resolve) => {
        if (running.size === 0) return resolve([]);
        const timer = setTimeout(() => resolve(list()), timeoutMs);
        onIdle = () => {
          clearTimeout(timer);
          resolve([]);
        };
      });
      return drained;
    },
  };
}

/** Private: a GraphQL-shaped 503, so clients see a coded error rather than a bare status. */
function refuse(reply: FastifyReply, code: string): FastifyReply {
  return reply.code(503).send({ errors: [{ message: REFUSAL_MESSAGE, extensions: { code } }] });
}

function describeRequest(request: FastifyRequest, startedAt: number): InflightRequest {
  const operationName = operationNameOf(request.method === 'GET' ? request.query : request.body);
  return {
    requestId: request.id,
    method: request.method,
    path: request.url.split('?', 1)[0] ?? request.url,
    ...(operationName ? { operationName } : {}),
    runningMs: Math.round(performance.now() - startedAt),
  };
}

/** Private: `operationName` when sent, else the first named operation in the document (a cheap scan, not a parse). */
function operationNameOf(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const { operationName, query } = params as { operationName?: unknown; query?: unknown };
  if (typeof operationName === 'string' && operationName !== '') return operationName;
  if (typeof query !== 'string') return undefined;
  return /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query)?.[1];
}
