// The delivery worker against real demo upstreams and a real SQLite queue: batching, keys, DEAD, replay, circuits, crashes, shutdown, `npm run worker`.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config/index.js';
import {
  createRetrySchedule,
  type Delivery,
  type DeliveryQueue,
  type DeliveryUpdate,
  type DeliveryWorker,
  deliveryIdFor,
  type NewDelivery,
  startDeliveryWorker,
} from '../src/delivery/index.js';
import { DEMO_CRM_API_KEY, DEMO_INVENTORY_TOKEN } from '../src/demo/index.js';
import { createLogger, createMetrics } from '../src/observability/index.js';
import {
  createTargetRegistry,
  type Order,
  type TargetRegistry,
  upstreamIdempotencyKey,
} from '../src/targets/index.js';
import { useDeliveryFixtures } from './support/delivery-fixtures.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLIENT = 'worker-test-client';

const {
  cleanups,
  startUpstreams: startDemoUpstreams,
  tempDataDir,
  configFor,
  openQueue,
} = useDeliveryFixtures();

const startUpstreams = (stock: Record<string, number> = { 'SKU-A': 100, 'SKU-B': 100 }) =>
  startDemoUpstreams(stock);

interface WorkerSetup {
  readonly queue: DeliveryQueue;
  readonly config: Config;
  readonly clock?: () => number;
  readonly stopTimeoutMs?: number;
}

/** A worker with its own registry (pools, breakers); stopped and closed after the test. */
function startWorker({ queue, config, clock, stopTimeoutMs }: WorkerSetup): {
  worker: DeliveryWorker;
  registry: TargetRegistry;
} {
  const metrics = createMetrics();
  const registry = createTargetRegistry(config, metrics);
  const worker = startDeliveryWorker({
    queue,
    registry,
    schedule: createRetrySchedule(config.delivery.retrySchedule, { jitterRatio: 0 }),
    config,
    logger: createLogger({ level: 'silent' }),
    metrics,
    clock,
    stopTimeoutMs: stopTimeoutMs ?? 5000,
  });
  cleanups.push(() => registry.close());
  cleanups.push(() => worker.stop());
  return { worker, registry };
}

function order(orderId: string, sku = 'SKU-A', quantity = 1): Order {
  return { orderId, customerId: 'CUST-1', items: [{ sku, quantity }] };
}

/** A write delivery exactly as the agreed data contract builds it. */
function writeDelivery(target: 'inventory' | 'crm', item: Order): NewDelivery {
  const upstreamKey = upstreamIdempotencyKey(CLIENT, undefined, target, item);
  const id = deliveryIdFor('write', upstreamKey);
  return {
    id,
    kind: 'write',
    orderId: item.orderId,
    target,
    upstreamKey,
    payload: {
      orderId: item.orderId,
      customerId: item.customerId,
      items: item.items.map(({ sku, quantity }) => ({ sku, quantity })),
    },
    clientId: CLIENT,
  };
}

async function stateOf(queue: DeliveryQueue, id: string): Promise<Delivery> {
  const delivery = await queue.get(id);
  if (!delivery) throw new Error(`delivery ${id} is gone`);
  return delivery;
}

async function waitForState(queue: DeliveryQueue, id: string, state: Delivery['state']): Promise<Delivery> {
  await waitUntil(async () => (await stateOf(queue, id)).state === state, `delivery ${id} is ${state}`);
  return stateOf(queue, id);
}

describe('delivery worker', () => {
  it('delivers queued writes as one batch call per target, each order carrying its delivery key', async () => {
    const upstreams = await startUpstreams();
    const dataDir = tempDataDir();
    const queue = await openQueue(dataDir);
    const config = configFor(upstreams, dataDir);
    const orders = [order('ORD-1'), order('ORD-2'), order('ORD-3', 'SKU-B', 2)];
    const deliveries = [
      ...orders.map((item) => writeDelivery('inventory', item)),
      ...orders.map((item) => writeDelivery('crm', item)),
    ];
    await queue.enqueue(deliveries);
    startWorker({ queue, config });

    for (const { id } of deliveries) await waitForState(queue, id, 'DELIVERED');
    const { inventory, crm } = upstreams;
    expect(inventory.requestCount('/inventory/deduct/batch')).toBe(1);
    expect(inventory.requestCount('/inventory/deduct')).toBe(0);
    expect(crm.requestCount('/crm/log_activity/batch')).toBe(1);
    const batch = inventory.requests[0]?.body as { requests: { idempotencyKey: string }[] } | undefined;
    const sentKeys = (batch?.requests ?? []).map((item) => item.idempotencyKey);
    expect(sentKeys.sort()).toEqual(
      deliveries
        .slice(0, 3)
        .map((item) => item.upstreamKey)
        .sort(),
    );
    expect(inventory.stockOf('SKU-B')).toBe(98);
    const delivered = await stateOf(queue, deliveries[0]?.id ?? '');
    expect(delivered).toMatchObject({ attempts: 1, result: { orderId: 'ORD-1' } });
  });

  it('kills a delivery the upstream rejects with 422 at once, recording the answer', async () => {
    const upstreams = await startUpstreams();
    const dataDir = tempDataDir();
    const queue = await openQueue(dataDir);
    const rejected = writeDelivery('inventory', order('ORD-422', 'SKU-NOPE'));
    await queue.enqueue([rejected]);
    startWorker({ queue, config: configFor(upstreams, dataDir) });

    const dead = await waitForState(queue, rejected.id, 'DEAD');
    expect(dead.attempts).toBe(1);
    expect(dead.lastFailure).toContain('422');
    expect(dead.lastFailure).toContain('unknown_sku');
    expect(dead.lastFailure).toContain("unknown SKU 'SKU-NOPE'");
    expect(upstreams.inventory.requestCount('/inventory/deduct')).toBe(1);
  });

  it('kills a delivery still failing with 503 past the schedule, and delivers it once replayed after recovery', async () => {
    const upstreams = await startUpstreams();
    const dataDir = tempDataDir();
    const queue = await openQueue(dataDir);
    const config = configFor(upstreams, dataDir, {
      DELIVERY_RETRY_SCHEDULE: '0s,50ms,50ms',
      CRM_MAX_ATTEMPTS: '1',
      CRM_BREAKER_FAILURES: '1000',
    });
    upstreams.crm.faults.set({ failure: { kind: 'status', status: 503 } });
    const delivery = writeDelivery('crm', order('ORD-503'));
    await queue.enqueue([delivery]);
    startWorker({ queue, config });

    const dead = await waitForState(queue, delivery.id, 'DEAD');
    expect(dead.attempts).toBe(3);
    expect(dead.lastFailure).toContain('503');
    expect(dead.lastFailure).toContain('retry schedule is exhausted');
    expect(upstreams.crm.requestCount('/crm/log_activity')).toBe(3);

    upstreams.crm.faults.reset();
    expect((await queue.replay(delivery.id)).outcome).toBe('updated');
    const delivered = await waitForState(queue, delivery.id, 'DELIVERED');
    expect(delivered.attempts).toBe(4);
    expect(upstreams.crm.activitiesOf('CUST-1')).toHaveLength(1);
  });

  it('postpones deliveries while the circuit is open, without spending attempts or calling the upstream', async () => {
    const upstreams = await startUpstreams();
    const dataDir = tempDataDir();
    const queue = await openQueue(dataDir);
    const config = configFor(upstreams, dataDir, {
      DELIVERY_RETRY_SCHEDULE: '0s,1h',
      INVENTORY_MAX_ATTEMPTS: '1',
      INVENTORY_BREAKER_FAILURES: '1',
      INVENTORY_BREAKER_HALF_OPEN_AFTER_MS: '600000',
    });
    upstreams.inventory.faults.enqueue({ kind: 'status', status: 503 });
    const opener = writeDelivery('inventory', order('ORD-OPENS'));
    await queue.enqueue([opener]);
    startWorker({ queue, config });
    const retried = await waitUntilQueuedAgain(queue, opener.id);
    expect(retried).toMatchObject({ attempts: 1 });

    const updates: DeliveryUpdate[] = [];
    const blocked = writeDelivery('inventory', order('ORD-BLOCKED'));
    const unsubscribe = queue.onUpdate((update) => {
      if (update.delivery.id === blocked.id) updates.push(update);
    });
    cleanups.push(unsubscribe);
    await queue.enqueue([blocked]);
    await waitUntil(
      () =>
        updates.some(
          ({ previousState, delivery }) => previousState === 'IN_FLIGHT' && delivery.state === 'QUEUED',
        ),
      'the blocked delivery is postponed',
    );
    const postponed = await stateOf(queue, blocked.id);
    expect(postponed.attempts).toBe(0);
    expect(postponed.nextAttemptAt).toBeGreaterThan(postponed.createdAt);
    expect(upstreams.inventory.requestCount()).toBe(1);
  });

  it('resends the delivery of a worker that died mid-call with the same key, and the upstream applies it once', async () => {
    const upstreams = await startUpstreams({ 'SKU-ONCE': 10 });
    const dataDir = tempDataDir();
    const config = configFor(upstreams, dataDir, {
      DELIVERY_LEASE_MS: '1000',
      INVENTORY_TIMEOUT_MS: '120000',
    });
    // The first call is applied, then never answered: the worker hangs in it as if it had died.
    upstreams.inventory.faults.enqueue({ kind: 'hang', afterApply: true });
    const queue = await openQueue(dataDir);
    const delivery = writeDelivery('inventory', order('ORD-CRASH', 'SKU-ONCE'));
    await queue.enqueue([delivery]);
    startWorker({ queue, config, stopTimeoutMs: 100 });
    await waitUntil(() => upstreams.inventory.stockOf('SKU-ONCE') === 9, 'the first call is applied');

    // Another process, whose clock is past the first worker's lease, takes the delivery over.
    const later = () => Date.now() + 10 * 60_000;
    const takeover = await openQueue(dataDir, later);
    startWorker({ queue: takeover, config, clock: later });
    const delivered = await waitForState(takeover, delivery.id, 'DELIVERED');

    const calls = upstreams.inventory.requests.filter(({ path }) => path === '/inventory/deduct');
    expect(calls.map(({ headers }) => headers['idempotency-key'])).toEqual([
      delivery.upstreamKey,
      delivery.upstreamKey,
    ]);
    expect(upstreams.inventory.stockOf('SKU-ONCE')).toBe(9);
    expect(delivered.result).toMatchObject({ orderId: 'ORD-CRASH', replayed: true });
    // The first worker's attempt counts, at its lease expiry, although it never settled it.
    expect(delivered.attempts).toBe(2);
  });

  it('releases an in-flight delivery when stop() outlives its bound: queued again, due now, the attempt counted (it may have arrived)', async () => {
    const upstreams = await startUpstreams();
    const dataDir = tempDataDir();
    const config = configFor(upstreams, dataDir, { CRM_TIMEOUT_MS: '120000' });
    upstreams.crm.faults.enqueue({ kind: 'hang' });
    const queue = await openQueue(dataDir);
    const delivery = writeDelivery('crm', order('ORD-STOP'));
    await queue.enqueue([delivery]);
    const { worker } = startWorker({ queue, config, stopTimeoutMs: 50 });
    await waitUntil(() => upstreams.crm.inFlight() === 1, 'the call hangs at the upstream');
    expect((await stateOf(queue, delivery.id)).state).toBe('IN_FLIGHT');

    const stoppedAt = Date.now();
    await worker.stop();
    const released = await stateOf(queue, delivery.id);
    expect(released).toMatchObject({ state: 'QUEUED', attempts: 1 });
    expect(released.lastFailure).toMatch(/released at shutdown while its attempt was running/);
    expect(released.nextAttemptAt).toBeLessThanOrEqual(Date.now());
    expect(released.nextAttemptAt).toBeGreaterThanOrEqual(stoppedAt);
  });

  it('runs alone as `npm run worker`, delivering what a gateway with FANOUT_WORKER=off accepted, and exits 0 on SIGTERM', async () => {
    const upstreams = await startUpstreams();
    const dataDir = tempDataDir();
    const gateway: TestGateway = await startTestGateway({
      env: { FANOUT_WORKER: 'off', FANOUT_DATA_DIR: dataDir },
      inventoryUrl: upstreams.inventory.url,
      crmUrl: upstreams.crm.url,
    });
    cleanups.push(() => gateway.close());
    // What the gateway's ASYNC mode commits, written to the shared data directory.
    const queue = await openQueue(dataDir);
    const delivery = writeDelivery('crm', order('ORD-APART'));
    await queue.enqueue([delivery]);

    const worker = spawnWorker({
      INVENTORY_API_URL: upstreams.inventory.url,
      INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
      CRM_API_URL: upstreams.crm.url,
      CRM_API_KEY: DEMO_CRM_API_KEY,
      FANOUT_DATA_DIR: dataDir,
    });
    await waitForState(queue, delivery.id, 'DELIVERED');
    expect(upstreams.crm.requests[0]?.headers['idempotency-key']).toBe(delivery.upstreamKey);
    // The worker process, not the gateway, delivered it: its log says so.
    await waitUntil(
      () =>
        worker
          .output()
          .includes(`"deliveryId":"${delivery.id}","target":"crm","orderId":"ORD-APART","state":"DELIVERED"`),
      'the worker logs the delivery',
    );
    const metricsUrl = /"metricsUrl":"(http:\/\/[^"]+)"/.exec(worker.output())?.[1];
    const metrics = await (await fetch(metricsUrl ?? '')).text();
    expect(metrics).toMatch(/fanout_deliveries\{target="crm",state="DELIVERED"\} 1/);
    expect(metrics).toMatch(/fanout_delivery_attempts_total\{target="crm",outcome="success"\} 1/);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 90_000);
});

/** Private: waits until a delivery went back to QUEUED after an attempt. */
async function waitUntilQueuedAgain(queue: DeliveryQueue, id: string): Promise<Delivery> {
  await waitUntil(async () => {
    const delivery = await stateOf(queue, id);
    return delivery.state === 'QUEUED' && delivery.attempts > 0;
  }, `delivery ${id} is queued for a later attempt`);
  return stateOf(queue, id);
}

interface SpawnedWorker {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
}

/** Spawns `npm run worker` in its own process group, killed after the test if still running. */
function spawnWorker(env: Record<string, string>): SpawnedWorker {
  const child = spawn('npm', ['run', '--silent', 'worker'], {
    cwd: REPO,
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      METRICS_PORT: '0',
      LOG_FORMAT: 'json',
      DELIVERY_POLL_INTERVAL_MS: '20',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGKILL');
      await exited;
    }
  });
  return { child, output: () => output, exited };
}
