// GET /healthz (the process is alive, and which version) and GET /readyz (it can serve: listening, not draining, Redis reachable when used).
import type { FastifyInstance } from 'fastify';
import type { IdempotencyStore } from '../idempotency/index.js';
import { buildInfo } from '../observability/index.js';
import type { TargetStatus } from '../targets/index.js';

/** Where the gateway is in its life: `draining` from the start of shutdown until the listener closes. */
export type ServingPhase = 'starting' | 'serving' | 'draining';

export interface Readiness {
  phase(): ServingPhase;
  readonly store: IdempotencyStore;
  /** The delivery queue: unready when it cannot be reached (ASYNC orders would be refused). */
  readonly deliveries: { ping(): Promise<void> };
  /** Each target's status: reported as information, never a reason to be unready. */
  targets(): Record<string, TargetStatus>;
}

export interface HealthRoutesOptions {
  /**
   * Whether /readyz says why it is unready and reports each target's circuit (the operator listener),
   * or answers its status alone (the public listener, where upstream state is nobody else's business).
   * @default false
   */
  readonly details?: boolean;
}

/** What /readyz found: ready, or the reason it is not. */
export type ReadinessReport = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/**
 * Registers the health routes; both keep answering while the gateway drains, /readyz with 503.
 * /healthz says `{ status: 'ok', version }` (package.json's version), so a rollout can be watched.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  readiness: Readiness,
  { details = false }: HealthRoutesOptions = {},
): void {
  const health = { status: 'ok', version: buildInfo().version } as const;
  app.get('/healthz', async () => health);
  app.get('/readyz', async (_request, reply) => {
    const report = await checkReadiness(readiness);
    const status = report.ready ? 'ready' : 'unavailable';
    reply.code(report.ready ? 200 : 503);
    if (!details) return { status };
    const reason = report.ready ? {} : { reason: report.reason };
    return { status, ...reason, targets: circuitsOf(readiness) };
  });
}

/** Ready when listening, not draining and, with Redis, the store answers a ping in time. */
export async function checkReadiness(readiness: Readiness): Promise<ReadinessReport> {
  const phase = readiness.phase();
  if (phase === 'draining')
    return { ready: false, reason: 'shutting down: finishing in-flight requests and taking no new ones' };
  if (phase === 'starting') return { ready: false, reason: 'not listening yet' };
  try {
    await readiness.store.ping();
  } catch {
    return { ready: false, reason: 'the idempotency store (Redis) cannot be reached' };
  }
  try {
    await readiness.deliveries.ping();
  } catch {
    return { ready: false, reason: 'the delivery queue cannot be reached' };
  }
  return { ready: true };
}

/**
 * Private: an open circuit says an upstream is down, not that this instance cannot serve — other targets
 * and idempotent replays still work — so circuits inform readiness without failing it.
 */
function circuitsOf(readiness: Readiness): Record<string, { circuit: TargetStatus['circuit'] }> {
  return Object.fromEntries(
    Object.entries(readiness.targets()).map(([name, status]) => [name, { circuit: status.circuit }]),
  );
}
