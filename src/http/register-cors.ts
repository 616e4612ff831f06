// CORS for browser frontends on other origins: an exact allow-list, and nothing at all when it is empty.
import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Response headers a browser script may read besides the safelisted ones. */
const EXPOSED_HEADERS = ['x-request-id', 'idempotent-replayed', 'retry-after'];

/** Seconds a browser may cache a preflight answer, so a frontend does not preflight every mutation. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * Registers @fastify/cors for `origins` (exact `Origin` values, or `*` for any) when there are any.
 * Register it before other request hooks, so a preflight is answered before authentication asks for
 * credentials a browser never sends on one. CSRF protection is Apollo's, and stays on either way.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await app.register(fastifyCors, {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_S,
  });
}
