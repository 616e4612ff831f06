// In-flight tracking for the demo upstreams: how many contract requests are open now, and the most at once.
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The in-flight side of a demo upstream. */
export interface InFlightTracker {
  /** Contract requests received and not yet answered or closed. */
  current(): number;
  /** The most contract requests in flight at once since the start or the last `resetPeak`. */
  peak(): number;
  /** Starts a new peak from the requests in flight now (they are still open, so they still count). */
  resetPeak(): void;
}

/**
 * Counts the requests to the given route patterns that are in flight on `app`: from `onRequest` until
 * `onResponse`, or until the response closes without one (a client that gives up, a `drop` fault, a
 * `hang` cut by close()). Other routes (admin, 404s) are not counted.
 * @param contractUrls Fastify route patterns, e.g. `/crm/log_activity`
 */
export function trackInFlightRequests(
  app: FastifyInstance,
  contractUrls: ReadonlySet<string>,
): InFlightTracker {
  // Private: each request is released once, whichever of onResponse and the response's close comes first.
  const open = new WeakSet<FastifyRequest>();
  let current = 0;
  let peak = 0;

  const release = (request: FastifyRequest): void => {
    if (open.delete(request)) current -= 1;
  };

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    if (url === undefined || !contractUrls.has(url)) return;
    open.add(request);
    current += 1;
    peak = Math.max(peak, current);
    // Fastify runs neither onResponse nor (after the body is read, or once hijacked) onRequestAbort for a
    // connection closed without an answer; Node's response 'close' always comes.
    reply.raw.once('close', () => release(request));
  });
  app.addHook('onResponse', async (request) => release(request));

  return {
    current: () => current,
    peak: () => peak,
    resetPeak() {
      peak = current;
    },
  };
}
