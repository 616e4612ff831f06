// Delivery scenario 1: placeOrder with delivery ASYNC against the same gateway's SYNC, worker off, same load.
import type { BenchSettings } from './bench-settings.js';
import { makeDataDir, openBenchQueue, removeDataDir, startDeliveryGateway } from './delivery-processes.js';
import { DELIVERY_GOALS } from './delivery-report.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import { type LoadResult, runLoad } from './load.js';
import { readProcessCpuMs } from './process-cpu.js';
import { BENCH_ORDER, BENCH_REQUEST_BODY, PLACE_ORDER_MUTATION, reportsSuccess } from './scenario.js';
import { type AnswerCheck, verifySample } from './verify-sample.js';

/** The SYNC selection plus the member an ASYNC answer has, as a client following its deliveries would ask. */
const PLACE_ORDER_ASYNC_MUTATION = PLACE_ORDER_MUTATION.replace(
  'mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {',
  'mutation PlaceOrder($input: PlaceOrderInput!, $options: FanoutOptions) {\n  placeOrder(input: $input, options: $options) {',
).replaceAll(
  '... on TargetFailure { target message retryable attempts }',
  '... on TargetFailure { target message retryable attempts }\n      ... on DeliveryQueued { deliveryId attempts nextAttemptAt }',
);

/** The ASYNC request: the same order (fresh id per request) with `options: { delivery: ASYNC }`. */
export const ASYNC_REQUEST_BODY = JSON.stringify({
  operationName: 'PlaceOrder',
  query: PLACE_ORDER_ASYNC_MUTATION,
  variables: { input: BENCH_ORDER, options: { delivery: 'ASYNC' } },
});

const ACCEPTED_MARKER = '"status":"ACCEPTED"';

function reportsAccepted(body: string | Buffer | undefined): boolean {
  return body?.includes(ACCEPTED_MARKER) === true;
}

interface AsyncAnswer {
  data?: {
    placeOrder?: { status?: string; inventory?: { __typename?: string }; crm?: { __typename?: string } };
  };
  errors?: unknown[];
}

const checkAcceptedAnswer: AnswerCheck = (answer) => {
  const { data, errors } = answer as AsyncAnswer;
  const payload = data?.placeOrder;
  if (errors !== undefined) return `GraphQL errors: ${JSON.stringify(errors)}`;
  if (payload?.status !== 'ACCEPTED') return `status is ${payload?.status}`;
  if (payload.inventory?.__typename !== 'DeliveryQueued' || payload.crm?.__typename !== 'DeliveryQueued')
    return `members are ${payload.inventory?.__typename} / ${payload.crm?.__typename}`;
  return undefined;
};

/** One mode's loaded run and the gateway's CPU during it. */
export interface ModeMeasurement {
  readonly mode: 'SYNC' | 'ASYNC';
  readonly load: LoadResult;
  readonly cpuMsPerRequest: number;
}

/** A run paced at a fixed offered rate; `load.requestsPerSecond` is what was achieved. */
export interface PacedRun {
  /** Requests per second offered across all connections (autocannon `overallRate`). */
  readonly offeredRate: number;
  readonly load: LoadResult;
}

export interface AsyncAcceptanceMeasurement {
  readonly sync: ModeMeasurement;
  readonly async: ModeMeasurement;
  /**
   * ASYNC offered the goal's rate (1.5 × the SYNC run's req/s) over few connections: its latency at the
   * load the goal names, where a closed loop of many connections measures queueing in a saturated process.
   */
  readonly asyncAtGoalRate: PacedRun;
  /** One connection each: latency without queueing. */
  readonly unloaded: { readonly sync: LoadResult; readonly async: LoadResult };
  /** Rows in the queue after the ASYNC runs: two per accepted order (one per target), none sent. */
  readonly queuedDeliveries: number;
  /** ASYNC answers that were 2xx and ACCEPTED, times two targets: what the queue must hold at least. */
  readonly expectedAtLeast: number;
}

/**
 * One gateway (FANOUT_WORKER=off, its own SQLite queue), warmed with both modes, then SYNC measured and
 * ASYNC measured with the same connections and duration, then ASYNC offered 1.5 × SYNC's measured req/s. With the worker off nothing is delivered, so the
 * ASYNC figure is acceptance alone (validate, commit with fsync, answer); delivery is measured apart.
 */
export async function measureAsyncAcceptance(
  upstreams: DemoUpstreams,
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<AsyncAcceptanceMeasurement> {
  const dataDir = await makeDataDir();
  const { sut, process: child } = await startDeliveryGateway('gateway-async', upstreams, settings, dataDir, {
    FANOUT_WORKER: 'off',
  });
  try {
    const load = (
      body: string,
      verifyBody: (b: string | Buffer | undefined) => boolean,
      durationS: number,
      options: { connections?: number; overallRate?: number } = {},
    ) =>
      runLoad({
        url: sut.url,
        body,
        connections: options.connections ?? settings.connections,
        overallRate: options.overallRate,
        durationS,
        verifyBody,
      });
    const modes = {
      SYNC: { body: BENCH_REQUEST_BODY, verify: reportsSuccess },
      ASYNC: { body: ASYNC_REQUEST_BODY, verify: reportsAccepted },
    } as const;
    await verifySample(
      { system: 'gateway-async', url: sut.url, body: ASYNC_REQUEST_BODY },
      checkAcceptedAnswer,
    );
    log(`delivery: ASYNC vs SYNC on one gateway (worker off); warming up both ${settings.warmupS} s`);
    await load(modes.SYNC.body, modes.SYNC.verify, settings.warmupS);
    await load(modes.ASYNC.body, modes.ASYNC.verify, settings.warmupS);
    const measure = async (mode: 'SYNC' | 'ASYNC'): Promise<ModeMeasurement> => {
      log(`delivery: measuring ${mode} ${settings.durationS} s at ${settings.connections} connections`);
      const before = readProcessCpuMs(sut.pid);
      const result = await load(modes[mode].body, modes[mode].verify, settings.durationS);
      const cpuMs = readProcessCpuMs(sut.pid) - before;
      return { mode, load: result, cpuMsPerRequest: cpuMs / Math.max(result.responses, 1) };
    };
    const sync = await measure('SYNC');
    const asyncResult = await measure('ASYNC');
    const offeredRate = Math.max(
      Math.round(sync.load.requestsPerSecond * DELIVERY_GOALS.minAsyncThroughputRatio),
      1,
    );
    log(
      `delivery: ASYNC offered ${offeredRate} req/s (${DELIVERY_GOALS.minAsyncThroughputRatio} x SYNC's) for ${settings.durationS} s at ${settings.pacedConnections} connections`,
    );
    const asyncAtGoalRate = {
      offeredRate,
      load: await load(modes.ASYNC.body, modes.ASYNC.verify, settings.durationS, {
        connections: settings.pacedConnections,
        overallRate: offeredRate,
      }),
    };
    log(`delivery: unloaded latency, SYNC then ASYNC, ${settings.unloadedS} s each at 1 connection`);
    const unloaded = {
      sync: await load(modes.SYNC.body, modes.SYNC.verify, settings.unloadedS, { connections: 1 }),
      async: await load(modes.ASYNC.body, modes.ASYNC.verify, settings.unloadedS, { connections: 1 }),
    };
    const queue = await openBenchQueue(dataDir);
    try {
      const stats = await queue.stats();
      const queuedDeliveries = stats.targets.reduce((sum, target) => sum + target.counts.QUEUED, 0);
      const accepted = asyncResult.load.responses - asyncResult.load.non2xx - asyncResult.load.mismatches;
      const result = { sync, async: asyncResult, asyncAtGoalRate, unloaded };
      return { ...result, queuedDeliveries, expectedAtLeast: accepted * 2 };
    } finally {
      await queue.close();
    }
  } finally {
    await child.stop();
    await removeDataDir(dataDir);
  }
}
