// Demo server shell: a Fastify instance with contract routes, fault knobs, recording and a clean close().
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError } from 'fastify';
import { errorAnswer, invalidRequestAnswer } from './contract-answer.js';
import { type ContractRoute, registerContractRoute, sendAnswer } from './contract-route.js';
import { createDelayScheduler } from './delay-scheduler.js';
import type { Authorizer } from './demo-auth.js';
import { registerFaultAdminRoutes } from './fault-admin-routes.js';
import { createFaultPlan, type FaultPlan } from './fault-plan.js';
import { trackInFlightRequests } from './in-flight-tracker.js';
import { createRequestRecorder, type RecordedRequest } from './request-recorder.js';
import { registerRequestStatsRoute } from './request-stats-route.js';

/** Options every demo upstream accepts. */
export interface DemoServerOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Latency added to every contract request, unless the fault settings give their own. @default 0 */
  latencyMs?: number;
  /** Recorded requests kept in `requests` (counts are not bounded). @default 10_000 */
  recordLimit?: number;
  /** Idempotency keys remembered before the oldest are forgotten. @default 100_000 */
  idempotencyLimit?: number;
}

/** A running demo upstream. */
export interface DemoServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** Fault knobs; the same plan the admin routes change. */
  readonly faults: FaultPlan;
  /** The most recent contract requests, oldest first (at most `recordLimit`). */
  readonly requests: RecordedRequest[];
  /** Contract requests received for a route pattern (e.g. `/inventory/deduct`), or all of them. */
  requestCount(path?: string): number;
  /** Contract requests received and not yet answered (or closed by either side). */
  inFlight(): number;
  /**
   * The most contract requests in flight at once since the start or the last `clearRequests`, e.g. to
   * check a client's concurrency limit without timing assertions.
   */
  peakInFlight(): number;
  /** Forgets recorded requests, resets the counts and starts a new peak from the requests in flight now. */
  clearRequests(): void;
  /** Stops listening, cuts open connections (hanging ones too) and cancels pending delays. */
  close(): Promise<void>;
}

/** What a concrete upstream plugs into the shell. */
export interface DemoServerSetup {
  readonly authorize: Authorizer;
  readonly routes: readonly ContractRoute[];
}

// Large enough for 500 orders of 100 items each; Fastify's 1 MiB default is not.
const BODY_LIMIT_BYTES = 32 * 1024 * 1024;
const DEFAULT_RECORD_LIMIT = 10_000;

/** Starts a demo upstream with the given routes; resolves once it listens. */
export async function startDemoServer(
  options: DemoServerOptions,
  setup: DemoServerSetup,
): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: BODY_LIMIT_BYTES });
  const faults = createFaultPlan(options.latencyMs ?? 0);
  const recorder = createRequestRecorder(options.recordLimit ?? DEFAULT_RECORD_LIMIT);
  const delays = createDelayScheduler();

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return sendAnswer(reply, errorAnswer(413, 'payload_too_large', error.message));
    // Unparseable JSON, a missing body or content type: the contracts only know 422 for bad requests.
    if (status >= 400 && status < 500)
      return sendAnswer(reply, invalidRequestAnswer(`body: ${error.message}`));
    return sendAnswer(reply, errorAnswer(500, 'internal_error', error.message));
  });
  registerFaultAdminRoutes(app, faults);
  registerRequestStatsRoute(app, recorder);
  const inFlight = trackInFlightRequests(app, new Set(setup.routes.map((route) => route.url)));
  const context = { faults, recorder, delays, authorize: setup.authorize };
  for (const route of setup.routes) registerContractRoute(app, context, route);

  await app.listen({ host, port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    faults,
    get requests() {
      return recorder.requests;
    },
    requestCount: (path) => recorder.count(path),
    inFlight: () => inFlight.current(),
    peakInFlight: () => inFlight.peak(),
    clearRequests() {
      recorder.clear();
      inFlight.resetPeak();
    },
    close() {
      closing ??= (async () => {
        delays.cancelAll();
        await app.close();
      })();
      return closing;
    },
  };
}
