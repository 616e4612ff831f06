// Delivery scenario 3: ASYNC load at a fixed rate through a CRM outage (503s) and its recovery; queue lag and drain time.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliveryQueue } from '../src/delivery/index.js';
import { FAULT_ADMIN_PATH } from '../src/demo/index.js';
import { ASYNC_REQUEST_BODY } from './async-acceptance.js';
import type { BenchSettings } from './bench-settings.js';
import { makeDataDir, openBenchQueue, removeDataDir, startDeliveryGateway } from './delivery-processes.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import { type LoadResult, runLoad } from './load.js';

/** Seconds of healthy load before the outage, so the steady state is on record. */
const HEALTHY_S = 5;
/** Connections of the paced load: enough for the rate, since ASYNC answers in milliseconds. */
const PACED_CONNECTIONS = 10;
/** How often the bench reads the queue's stats. */
const SAMPLE_MS = 250;
/** Under this lag a target counts as keeping up. */
const CAUGHT_UP_LAG_MS = 1000;

/**
 * The bench's retry schedule: quick steps, capped at 8 s, long enough in total (twice the outage plus
 * 30 s) that no delivery goes DEAD during it. The default (5 s, 5 min, 30 min…) would leave the backlog
 * waiting up to 5 minutes after the recovery, which measures the schedule, not the queue.
 */
export function outageRetrySchedule(outageS: number): string {
  const capSteps = Math.ceil((2 * outageS + 30) / 8);
  return ['0s', '1s', '2s', '4s', ...Array.from({ length: capSteps }, () => '8s')].join(',');
}

/** One reading of the queue. */
export interface LagSample {
  /** Seconds since the load started. */
  readonly atS: number;
  readonly crmLagMs: number;
  readonly crmBacklog: number;
  readonly inventoryLagMs: number;
}

export interface OutageMeasurement {
  readonly outageS: number;
  readonly rate: number;
  readonly retrySchedule: string;
  readonly load: LoadResult;
  /** Largest `fanout_delivery_queue_lag_seconds{target="crm"}` seen (queue.stats().lagMs), in seconds. */
  readonly peakCrmLagS: number;
  readonly peakInventoryLagS: number;
  /** Most CRM deliveries QUEUED or IN_FLIGHT at once. */
  readonly peakCrmBacklog: number;
  /** After the CRM recovered, until every CRM delivery accepted before then was DELIVERED (load still running). */
  readonly drainAfterRecoveryS: number;
  /** After the CRM recovered, until the CRM lag stayed under 1 s. */
  readonly lagRecoveredAfterS: number;
  /** CRM deliveries that went DEAD (the schedule was too short) or never drained. */
  readonly deadOrStuck: number;
  readonly samples: readonly LagSample[];
}

/**
 * One gateway with its worker on (the default deployment) and its own SQLite queue; ASYNC orders at
 * `outageRate`/s: 5 s healthy, `outageS` with every CRM request answered 503, then the CRM recovers and
 * the load goes on until the outage's backlog is delivered (at most 60 s or 3 × the outage).
 */
export async function measureOutageLag(
  upstreams: DemoUpstreams,
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<OutageMeasurement> {
  const { outageS, outageRate: rate } = settings;
  const retrySchedule = outageRetrySchedule(outageS);
  const drainTimeoutS = Math.max(60, 3 * outageS);
  const dataDir = await makeDataDir();
  const { sut, process: child } = await startDeliveryGateway('gateway-outage', upstreams, settings, dataDir, {
    FANOUT_WORKER: 'on',
    DELIVERY_RETRY_SCHEDULE: retrySchedule,
    // Every failed CRM attempt is a warn line: thousands during the outage, and writing them is not measured.
    LOG_LEVEL: 'error',
  });
  const queue = await openBenchQueue(dataDir);
  const stopLoad = new AbortController();
  const samples: LagSample[] = [];
  let sampling = true;
  try {
    const startedAt = Date.now();
    const loadDone = runLoad({
      url: sut.url,
      body: ASYNC_REQUEST_BODY,
      connections: PACED_CONNECTIONS,
      durationS: HEALTHY_S + outageS + drainTimeoutS + 5,
      overallRate: rate,
      signal: stopLoad.signal,
      verifyBody: (body) => body?.includes('"status":"ACCEPTED"') === true,
    });
    const sampler = (async () => {
      while (sampling) {
        samples.push(await sample(queue, startedAt));
        await sleep(SAMPLE_MS);
      }
    })();
    log(
      `delivery: outage scenario, ${rate} ASYNC orders/s; ${HEALTHY_S} s healthy, then CRM 503 for ${outageS} s`,
    );
    await sleep(HEALTHY_S * 1000);
    await fault(upstreams.crmUrl, 'PUT', { failureRate: 1, failure: { kind: 'status', status: 503 } });
    await sleep(outageS * 1000);
    await fault(upstreams.crmUrl, 'DELETE');
    const recoveredAt = Date.now();
    log(`delivery: CRM recovered; waiting up to ${drainTimeoutS} s for the backlog to drain`);
    const drainedAt = await waitForOutageBacklog(queue, recoveredAt, drainTimeoutS * 1000);
    stopLoad.abort();
    const load = await loadDone;
    sampling = false;
    await sampler;
    const afterRecovery = samples.filter((s) => startedAt + s.atS * 1000 >= recoveredAt);
    const lastHighLag = afterRecovery.findLast((s) => s.crmLagMs >= CAUGHT_UP_LAG_MS);
    const dead = (await queue.stats()).targets.find((t) => t.target === 'crm')?.counts.DEAD ?? 0;
    return {
      outageS,
      rate,
      retrySchedule,
      load,
      peakCrmLagS: Math.max(0, ...samples.map((s) => s.crmLagMs)) / 1000,
      peakInventoryLagS: Math.max(0, ...samples.map((s) => s.inventoryLagMs)) / 1000,
      peakCrmBacklog: Math.max(0, ...samples.map((s) => s.crmBacklog)),
      drainAfterRecoveryS: drainedAt === undefined ? Number.NaN : (drainedAt - recoveredAt) / 1000,
      lagRecoveredAfterS: lastHighLag ? startedAt / 1000 + lastHighLag.atS - recoveredAt / 1000 : 0,
      deadOrStuck: dead + (drainedAt === undefined ? 1 : 0),
      samples,
    };
  } finally {
    sampling = false;
    stopLoad.abort();
    await fault(upstreams.crmUrl, 'DELETE').catch(() => undefined);
    await queue.close();
    await child.stop();
    await removeDataDir(dataDir);
  }
}

async function sample(queue: DeliveryQueue, startedAt: number): Promise<LagSample> {
  const stats = await queue.stats();
  const crm = stats.targets.find((t) => t.target === 'crm');
  const inventory = stats.targets.find((t) => t.target === 'inventory');
  return {
    atS: (Date.now() - startedAt) / 1000,
    crmLagMs: crm?.lagMs ?? 0,
    crmBacklog: (crm?.counts.QUEUED ?? 0) + (crm?.counts.IN_FLIGHT ?? 0),
    inventoryLagMs: inventory?.lagMs ?? 0,
  };
}

/** Private: when no CRM delivery created before `recoveredAt` is QUEUED or IN_FLIGHT any more; undefined on timeout. */
async function waitForOutageBacklog(
  queue: DeliveryQueue,
  recoveredAt: number,
  timeoutMs: number,
): Promise<number | undefined> {
  const deadline = recoveredAt + timeoutMs;
  while (Date.now() < deadline) {
    const pending = await Promise.all(
      (['QUEUED', 'IN_FLIGHT'] as const).map((state) =>
        queue.list({ target: 'crm', state, createdBefore: recoveredAt }, { first: 1 }),
      ),
    );
    if (pending.every((page) => page.items.length === 0)) return Date.now();
    await sleep(SAMPLE_MS);
  }
  return undefined;
}

async function fault(crmUrl: string, method: 'PUT' | 'DELETE', body?: unknown): Promise<void> {
  const response = await fetch(`${crmUrl}${FAULT_ADMIN_PATH}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${method} ${crmUrl}${FAULT_ADMIN_PATH} answered ${response.status}`);
}
