// Admin route that tells how many requests a demo upstream received, e.g. to measure retry amplification.
import type { FastifyInstance } from 'fastify';
import type { RequestRecorder } from './request-recorder.js';

/** Where the request counts are served. */
export const REQUEST_STATS_PATH = '/__demo/requests';

/** Registers `GET /__demo/requests`: `{ total, byRoute: { '/crm/log_activity': 12, ... } }` (no auth, not recorded). */
export function registerRequestStatsRoute(app: FastifyInstance, recorder: RequestRecorder): void {
  app.get(REQUEST_STATS_PATH, async () => ({ total: recorder.count(), byRoute: recorder.countsByRoute() }));
}
