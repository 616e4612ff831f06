// GET /healthz (the process is alive) and GET /readyz (it can serve: listening, not draining, Redis reachable when used).
import type { FastifyInstance } from 'fastify';
import type { IdempotencyStore } from '../idempotency/index.js';
import type { TargetStatus } from '../targets/index.js';

/** Where the gateway is in its life: `draining` from the start of shutdown until the listener closes. */
export type ServingPhase = 'starting' | 'serving' | 'draining';

export interface Readiness {
  phase(): ServingPhase;
  readonly store: IdempotencyStore;
  /** Each target's status: reported as information, never a reason to be unready. */
  targets(): Record<string, TargetStatus>;
}

/** Registers the health routes; both keep answering while the gateway drains, /readyz with 503. */
export function registerHealthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    // An open circuit says an upstream is down, not that this instance cannot serve: other targets and
    // idempotent replays still work, so breakers inform readiness without failing it.
    const targets = Object.fromEntries(
      Object.entries(readiness.targets()).map(([name, status]) => [name, { circuit: status.circuit }]),
    );
    const phase = readiness.phase();
    if (phase !== 'serving') {
      const reason =
        phase === 'draining'
          ? 'shutting down: finishing in-flight requests and taking no new ones'
          : 'not listening yet';
      return reply.code(503).send({ status: 'unavailable', reason, targets });
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
