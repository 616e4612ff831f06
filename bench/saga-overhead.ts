// BENCH_ONLY=saga: SYNC placeOrder BEST_EFFORT vs ALL_OR_NOTHING on one gateway, then ALL_OR_NOTHING rolling back every order.
import { setTimeout as delay } from 'node:timers/promises';
import type { BenchSettings } from './bench-settings.js';
import { makeDataDir, openBenchQueue, removeDataDir, startDeliveryGateway } from './delivery-processes.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import { type LoadResult, runLoad } from './load.js';
import type { SystemUnderTest } from './measure-system.js';
import { readProcessCpuMs } from './process-cpu.js';
import {
  ALL_OR_NOTHING_BODY,
  BEST_EFFORT_BODY,
  checkRolledBack,
  checkSucceededSaga,
  ROLLBACK_BODY,
  ROLLBACK_SKU,
  reportsRolledBack,
} from './saga-requests.js';
import { reportsSuccess } from './scenario.js';
import { type AnswerCheck, verifySample } from './verify-sample.js';

/** One closed-loop run and the gateway's CPU during it. */
export interface SagaRun {
  readonly load: LoadResult;
  readonly cpuMsPerRequest: number;
}

/** The rollback's correctness check: the SKU's stock before any rollback order, and once the restores settled. */
export interface StockCheck {
  readonly sku: string;
  readonly before: number;
  readonly after: number;
  /** Milliseconds after the last run until the stock read `before` again (or the bound, when it never did). */
  readonly settledAfterMs: number;
}

export interface SagaMeasurement {
  readonly bestEffort: SagaRun;
  readonly allOrNothing: SagaRun;
  /** One connection each: latency without queueing. */
  readonly unloaded: { readonly bestEffort: LoadResult; readonly allOrNothing: LoadResult };
  /** ALL_OR_NOTHING with the CRM rejecting every order: each answer ROLLED_BACK after one restore. */
  readonly rollback: SagaRun;
  readonly stock: StockCheck;
  /** Inventory deliveries (writes and restores) QUEUED, IN_FLIGHT or DEAD at the end: 0 when every restore finished. */
  readonly inventoryNotDelivered: number;
}

/** How long the restores of requests still in flight when the last run ended may take to settle. */
const STOCK_SETTLE_BOUND_MS = 15_000;

type Mode = 'bestEffort' | 'allOrNothing' | 'rollback';

interface ModeRequests {
  readonly body: string;
  /** Every response of a run, by marker. */
  readonly verify: (body: string | Buffer | undefined) => boolean;
  /** The sample answers before any load, in full. */
  readonly check: AnswerCheck;
}

const MODES: Readonly<Record<Mode, ModeRequests>> = {
  bestEffort: { body: BEST_EFFORT_BODY, verify: reportsSuccess, check: checkSucceededSaga },
  allOrNothing: { body: ALL_OR_NOTHING_BODY, verify: reportsSuccess, check: checkSucceededSaga },
  rollback: { body: ROLLBACK_BODY, verify: reportsRolledBack, check: checkRolledBack },
};

const SAMPLES_PER_MODE = 3;

/**
 * Private: a few requests of `mode`, each with its own order id (autocannon replaces `[<id>]`, fetch
 * does not: a saga repeated with the same id answers its stored state instead of placing it again).
 */
async function checkSamples(sut: SystemUnderTest, mode: Mode): Promise<void> {
  const { body, check } = MODES[mode];
  for (let index = 0; index < SAMPLES_PER_MODE; index++) {
    const sampleBody = body.replace('[<id>]', `sample-${mode}-${index}`);
    await verifySample({ system: sut.name, url: sut.url, body: sampleBody }, check, 1);
  }
}

/**
 * One gateway (worker on, its own SQLite queue), sample-checked and warmed in all three modes, then
 * BEST_EFFORT and ALL_OR_NOTHING measured with the same connections and duration, both at 1 connection,
 * and last the rolling-back orders; then the rollback SKU's stock must be back where it started.
 */
export async function measureSagaOverhead(
  upstreams: DemoUpstreams,
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<SagaMeasurement> {
  const dataDir = await makeDataDir();
  const { sut, process: child } = await startDeliveryGateway('gateway-saga', upstreams, settings, dataDir, {
    FANOUT_WORKER: 'on',
    // Each rolled-back order logs two warnings (the CRM's rejection, its write DEAD): thousands of lines.
    LOG_LEVEL: 'error',
  });
  try {
    const stockBefore = await readStock(upstreams.inventoryUrl, ROLLBACK_SKU);
    for (const mode of Object.keys(MODES) as Mode[]) await checkSamples(sut, mode);
    log(`saga: one gateway (worker on, SQLite queue); warming up each mode ${settings.warmupS} s`);
    for (const mode of Object.keys(MODES) as Mode[])
      await load(sut, mode, settings.connections, settings.warmupS);
    const measure = async (mode: Mode): Promise<SagaRun> => {
      log(`saga: measuring ${mode} ${settings.durationS} s at ${settings.connections} connections`);
      const before = readProcessCpuMs(sut.pid);
      const result = await load(sut, mode, settings.connections, settings.durationS);
      const cpuMs = readProcessCpuMs(sut.pid) - before;
      return { load: result, cpuMsPerRequest: cpuMs / Math.max(result.responses, 1) };
    };
    const bestEffort = await measure('bestEffort');
    const allOrNothing = await measure('allOrNothing');
    log(
      `saga: unloaded latency, BEST_EFFORT then ALL_OR_NOTHING, ${settings.unloadedS} s each at 1 connection`,
    );
    const unloaded = {
      bestEffort: await load(sut, 'bestEffort', 1, settings.unloadedS),
      allOrNothing: await load(sut, 'allOrNothing', 1, settings.unloadedS),
    };
    const rollback = await measure('rollback');
    const stock = await waitForStock(upstreams.inventoryUrl, ROLLBACK_SKU, stockBefore);
    const inventoryNotDelivered = await countInventoryNotDelivered(dataDir);
    return { bestEffort, allOrNothing, unloaded, rollback, stock, inventoryNotDelivered };
  } finally {
    await child.stop();
    await removeDataDir(dataDir);
  }
}

function load(sut: SystemUnderTest, mode: Mode, connections: number, durationS: number): Promise<LoadResult> {
  const { body, verify } = MODES[mode];
  return runLoad({ url: sut.url, body, connections, durationS, verifyBody: verify });
}

/** Private: units of `sku` the demo Inventory has now (GET /inventory/stock/{sku}). */
async function readStock(inventoryUrl: string, sku: string): Promise<number> {
  const response = await fetch(new URL(`/inventory/stock/${encodeURIComponent(sku)}`, inventoryUrl), {
    headers: { authorization: 'Bearer demo-inventory-token' },
  });
  const answer = (await response.json()) as { available?: unknown };
  if (!response.ok || typeof answer.available !== 'number')
    throw new Error(`stock of ${sku}: HTTP ${response.status} ${JSON.stringify(answer)}`);
  return answer.available;
}

/**
 * Private: requests still in flight when the run ended finish (and restore) after it; reads the stock
 * until it is `before` again, within STOCK_SETTLE_BOUND_MS.
 */
async function waitForStock(inventoryUrl: string, sku: string, before: number): Promise<StockCheck> {
  const startedAt = performance.now();
  for (;;) {
    const after = await readStock(inventoryUrl, sku);
    const settledAfterMs = performance.now() - startedAt;
    if (after === before || settledAfterMs >= STOCK_SETTLE_BOUND_MS)
      return { sku, before, after, settledAfterMs };
    await delay(100);
  }
}

/** Private: Inventory deliveries not DELIVERED (and not CANCELLED): a restore that never finished shows here. */
async function countInventoryNotDelivered(dataDir: string): Promise<number> {
  const queue = await openBenchQueue(dataDir);
  try {
    const inventory = (await queue.stats()).targets.find((target) => target.target === 'inventory');
    const counts = inventory?.counts;
    return counts ? counts.QUEUED + counts.IN_FLIGHT + counts.DEAD : 0;
  } finally {
    await queue.close();
  }
}
