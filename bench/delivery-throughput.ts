// Delivery scenario 2: a standalone worker drains a pre-filled SQLite queue; deliveries/s per target, batching on and off.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DeliveryQueue, deliveryIdFor, type NewDelivery } from '../src/delivery/index.js';
import { type Order, upstreamIdempotencyKey } from '../src/targets/index.js';
import { makeDataDir, openBenchQueue, removeDataDir, startStandaloneWorker } from './delivery-processes.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import { upstreamRequestTotals } from './upstream-requests.js';

/** The targets the worker delivers to, by registry id and environment prefix. */
export const DELIVERY_TARGETS = [
  { id: 'inventory', envPrefix: 'INVENTORY' },
  { id: 'crm', envPrefix: 'CRM' },
] as const;

/** The client id the pre-filled deliveries carry, as if one client had placed them ASYNC. */
const BENCH_CLIENT = 'bench';
/** The worker is started and idle before the deliveries become due at once, this long after the fill began. */
const DUE_AFTER_MS = 1500;
/** How often the bench asks the queue whether it has drained. */
const POLL_MS = 100;
/** No drain may take longer: a stuck worker fails the run instead of hanging it. */
const DRAIN_TIMEOUT_MS = 180_000;

/** How one target's share of the queue was drained. */
export interface TargetThroughput {
  readonly target: string;
  readonly delivered: number;
  /** Deliveries that ended in another state than DELIVERED (DEAD…) or were still pending at the timeout. */
  readonly notDelivered: number;
  /** From the moment every delivery was due to the last one's `deliveredAt`. */
  readonly drainSeconds: number;
  readonly deliveriesPerSecond: number;
  /** HTTP requests the upstream received during the drain: N with single calls, about N/500 batched. */
  readonly upstreamRequests: number;
}

export interface ThroughputRun {
  readonly batching: boolean;
  readonly deliveriesPerTarget: number;
  readonly targets: readonly TargetThroughput[];
}

/**
 * Starts `npm run worker`'s entry with `*_BATCH_ENABLED` set to `batching` (default batch size and
 * concurrency), waits for it to be ready and idle, then commits N deliveries per target due at one
 * instant, and reads each target's last `deliveredAt` once the queue holds nothing QUEUED or IN_FLIGHT.
 */
export async function measureDeliveryThroughput(
  upstreams: DemoUpstreams,
  deliveriesPerTarget: number,
  batching: boolean,
  profileDir?: string,
): Promise<ThroughputRun> {
  const dataDir = await makeDataDir();
  const batchEnv = Object.fromEntries(
    DELIVERY_TARGETS.map(({ envPrefix }) => [`${envPrefix}_BATCH_ENABLED`, String(batching)]),
  );
  // A short poll so an idle worker notices the deliveries (committed by another process) within 50 ms.
  const worker = await startStandaloneWorker(
    upstreams,
    dataDir,
    {
      ...batchEnv,
      DELIVERY_POLL_INTERVAL_MS: '50',
    },
    profileDir,
  );
  const queue = await openBenchQueue(dataDir);
  try {
    const dueAt = Date.now() + DUE_AFTER_MS;
    await fillQueue(queue, deliveriesPerTarget, dueAt);
    const startAt = Math.max(dueAt, Date.now());
    const before = await upstreamRequestTotals(upstreams);
    await waitUntilDrained(queue, worker.exited);
    const after = await upstreamRequestTotals(upstreams);
    const targets: TargetThroughput[] = [];
    for (const { id } of DELIVERY_TARGETS) {
      const { delivered, lastDeliveredAt } = await deliveredRows(queue, id);
      const drainSeconds = Math.max(lastDeliveredAt - startAt, 1) / 1000;
      targets.push({
        target: id,
        delivered,
        notDelivered: deliveriesPerTarget - delivered,
        drainSeconds,
        deliveriesPerSecond: delivered / drainSeconds,
        upstreamRequests: (after[id] ?? 0) - (before[id] ?? 0),
      });
    }
    return { batching, deliveriesPerTarget, targets };
  } finally {
    await queue.close();
    await worker.stop();
    await removeDataDir(dataDir);
  }
}

/** Private: N orders, one delivery per target each, committed in chunks (the worker sees none before `dueAt`). */
async function fillQueue(queue: DeliveryQueue, count: number, dueAt: number): Promise<void> {
  const run = randomUUID().slice(0, 8);
  const chunk: NewDelivery[] = [];
  for (let index = 0; index < count; index++) {
    const order: Order = {
      orderId: `bench-dlv-${run}-${index}`,
      customerId: 'CUST-1',
      items: [
        { sku: 'SKU-RED-MUG', quantity: 2 },
        { sku: 'SKU-BLUE-PEN', quantity: 1 },
      ],
    };
    for (const { id: target } of DELIVERY_TARGETS) chunk.push(writeDeliveryFor(order, target, dueAt));
    if (chunk.length >= 1000) await queue.enqueue(chunk.splice(0));
  }
  if (chunk.length > 0) await queue.enqueue(chunk);
}

/** Private: the delivery an ASYNC placeOrder would have committed, per the agreed data contract. */
function writeDeliveryFor(order: Order, target: string, dueAt: number): NewDelivery {
  const upstreamKey = upstreamIdempotencyKey(BENCH_CLIENT, undefined, target, order);
  return {
    id: deliveryIdFor('write', upstreamKey),
    kind: 'write',
    orderId: order.orderId,
    target,
    upstreamKey,
    payload: {
      orderId: order.orderId,
      customerId: order.customerId,
      items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
    },
    clientId: BENCH_CLIENT,
    nextAttemptAt: dueAt,
  };
}

/** Private: polls the stats until nothing is QUEUED or IN_FLIGHT; throws if the worker exits or time runs out. */
async function waitUntilDrained(queue: DeliveryQueue, workerExited: Promise<number | null>): Promise<void> {
  let exited = false;
  void workerExited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) throw new Error('the delivery worker exited before the queue drained; see its output above');
    const stats = await queue.stats();
    if (stats.targets.every(({ counts }) => counts.QUEUED + counts.IN_FLIGHT === 0)) return;
    await sleep(POLL_MS);
  }
  throw new Error(`the delivery worker did not drain the queue within ${DRAIN_TIMEOUT_MS / 1000} s`);
}

/** Private: how many of `target`'s deliveries are DELIVERED, and the latest `deliveredAt`. */
async function deliveredRows(
  queue: DeliveryQueue,
  target: string,
): Promise<{ delivered: number; lastDeliveredAt: number }> {
  let delivered = 0;
  let lastDeliveredAt = 0;
  let after: string | undefined;
  for (;;) {
    const page = await queue.list({ target, state: 'DELIVERED' }, { first: 500, after });
    for (const { delivery } of page.items) {
      delivered++;
      lastDeliveredAt = Math.max(lastDeliveredAt, delivery.deliveredAt ?? 0);
    }
    if (!page.hasNextPage || page.endCursor === null) return { delivered, lastDeliveredAt };
    after = page.endCursor;
  }
}
