// GET /healthz (the process is alive) and GET /readyz (it can serve: listening, and Redis reachable when used).
import type { FastifyInstance } from 'fastify';
import type { IdempotencyStore } from '../idempotency/index.js';
import type { TargetStatus } from '../targets/index.js';

export interface Readiness {
  /** True between listening and the start of shutdown. */
  serving(): boolean;
  readonly store: IdempotencyStore;
  /** Each target's status: reported as information, never a reason to be unready. */
  targets(): Record<string, TargetStatus>;
}

export function registerHealthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    // An open circuit says an upstream is down, not that this instance cannot serve: other targets and
    // idempotent replays still work, so breakers inform readiness without failing it.
    const targets = Object.fromEntries(
      Object.entries(readiness.targets()).map(([name, status]) => [name, { circuit: status.circuit }]),
    );
    if (!readiness.serving()) {
      return reply
        .code(503)
        .send({ status: 'unavailable', reason: 'not listening, or shutting down', targets });
    }
    try {
      await readiness.store.ping();
    } catch {
      return reply
        .code(503)
        .send({ status: 'unavailable', reason: 'the idempotency store (Redis) cannot be reached', targets });
    }
    return { status: 'ready', targets };
  });
}
