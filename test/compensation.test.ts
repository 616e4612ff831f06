// Saga compensation against the real demo upstreams: the target client's `compensate` and the worker's compensation deliveries.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config/index.js';
import { deadlineIn } from '../src/core/index.js';
import {
  compensationDelivery,
  createRetrySchedule,
  type Delivery,
  type DeliveryQueue,
  type NewDelivery,
  startDeliveryWorker,
} from '../src/delivery/index.js';
import { createLogger, createMetrics, type GatewayMetrics } from '../src/observability/index.js';
import {
  compensationIdempotencyKey,
  createTargetRegistry,
  type Order,
  type TargetRegistry,
  targetModuleById,
  upstreamIdempotencyKey,
} from '../src/targets/index.js';
import { type Upstreams, useDeliveryFixtures } from './support/delivery-fixtures.js';
import { parsePrometheus, sampleValue } from './support/parse-prometheus.js';
import { waitUntil } from './support/wait-until.js';

const CLIENT = 'compensation-test-client';

const fixtures = useDeliveryFixtures();
const { cleanups } = fixtures;

const startUpstreams = () => fixtures.startUpstreams({ 'SKU-U': 10 });

function configFor(upstreams: Upstreams, env: Record<string, string> = {}): Config {
  return fixtures.configFor(upstreams, fixtures.tempDataDir(), env);
}

function registryFor(config: Config, metrics: GatewayMetrics = createMetrics()): TargetRegistry {
  const registry = createTargetRegistry(config, metrics);
  cleanups.push(() => registry.close());
  return registry;
}

function openQueue(config: Config): Promise<DeliveryQueue> {
  return fixtures.openQueue(config.delivery.dataDir);
}

/** Log lines as objects, for the alert assertions. */
function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    { level: 'info', format: 'json' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

function startWorker(
  queue: DeliveryQueue,
  config: Config,
  registry: TargetRegistry,
  metrics: GatewayMetrics,
) {
  const { logger, lines } = capturedLogger();
  const worker = startDeliveryWorker({
    queue,
    registry,
    schedule: createRetrySchedule(config.delivery.retrySchedule),
    config,
    logger,
    metrics,
    stopTimeoutMs: 5000,
  });
  cleanups.push(() => worker.stop());
  return { worker, lines };
}

function order(orderId: string, quantity = 2): Order {
  return { orderId, customerId: 'CUST-1', items: [{ sku: 'SKU-U', quantity }] };
}

const options = (idempotencyKey: string) => ({ deadline: deadlineIn(10_000), idempotencyKey });

/** Writes `item` to both targets as a SYNC request would; resolves with each success value and write key. */
async function writeBoth(registry: TargetRegistry, item: Order) {
  const send = { deadline: deadlineIn(10_000), client: CLIENT };
  const [deducted] = await registry.clients.inventory.send([{ order: item }], send);
  const [logged] = await registry.clients.crm.send([{ order: item }], send);
  if (!deducted?.ok || !logged?.ok)
    throw new Error(`the writes failed: ${JSON.stringify([deducted, logged])}`);
  return {
    deduction: deducted.value,
    activity: logged.value,
    inventoryKey: upstreamIdempotencyKey(CLIENT, undefined, 'inventory', item),
    crmKey: upstreamIdempotencyKey(CLIENT, undefined, 'crm', item),
  };
}

function inventoryModule() {
  const module = targetModuleById('inventory');
  if (!module) throw new Error('no inventory module');
  return module;
}

function crmModule() {
  const module = targetModuleById('crm');
  if (!module) throw new Error('no crm module');
  return module;
}

async function waitForState(queue: DeliveryQueue, id: string, state: Delivery['state']): Promise<Delivery> {
  let found: Delivery | undefined;
  await waitUntil(async () => {
    found = await queue.get(id);
    return found?.state === state;
  }, `delivery ${id} is ${state}`);
  if (!found) throw new Error(`delivery ${id} is gone`);
  return found;
}

async function deadCompensations(metrics: GatewayMetrics, target: string): Promise<number> {
  const samples = parsePrometheus(await metrics.registry.metrics());
  return sampleValue(samples, 'fanout_compensations_dead_total', { target });
}

describe('compensate (the target client)', () => {
  it('restores a deduction once through the Inventory pipeline, even when the restore is resent with the same key', async () => {
    const upstreams = await startUpstreams();
    const registry = registryFor(configFor(upstreams));
    const { deduction, inventoryKey } = await writeBoth(registry, order('ORD-RESTORE'));
    expect(upstreams.inventory.stockOf('SKU-U')).toBe(8);
    const key = compensationIdempotencyKey(inventoryKey);
    const restore = inventoryModule().compensation(deduction);

    // The first restore is applied, then answered 500: the pipeline resends it with the same key.
    upstreams.inventory.faults.enqueue({ kind: 'status', status: 500, afterApply: true });
    const first = await registry.clients.inventory.compensate(restore, options(key));
    expect(first).toEqual({ ok: true, value: { httpStatus: 200, replayed: false, attempts: 2 } });
    expect(upstreams.inventory.stockOf('SKU-U')).toBe(10);

    const again = await registry.clients.inventory.compensate(restore, options(key));
    expect(again).toMatchObject({ ok: true, value: { httpStatus: 200, attempts: 1 } });
    expect(upstreams.inventory.stockOf('SKU-U')).toBe(10);

    const restores = upstreams.inventory.requests.filter(({ path }) => path === '/inventory/restore');
    expect(restores).toHaveLength(3);
    for (const request of restores) {
      expect(request.method).toBe('POST');
      expect(request.headers['idempotency-key']).toBe(key);
      expect(request.body).toEqual({ deductionId: deduction.deductionId });
    }
    expect(key).not.toBe(inventoryKey);
    expect(key.length).toBeLessThanOrEqual(255);
  });

  it('deletes the CRM activity, and a second DELETE (204) or a 404 for an activity already gone still counts as compensated', async () => {
    const upstreams = await startUpstreams();
    const registry = registryFor(configFor(upstreams));
    const { activity, crmKey } = await writeBoth(registry, order('ORD-DELETE'));
    expect(upstreams.crm.activitiesOf('CUST-1').map(({ orderId }) => orderId)).toEqual(['ORD-DELETE']);
    const remove = crmModule().compensation(activity);
    const key = compensationIdempotencyKey(crmKey);

    const first = await registry.clients.crm.compensate(remove, options(key));
    expect(first).toEqual({ ok: true, value: { httpStatus: 204, replayed: false, attempts: 1 } });
    expect(upstreams.crm.activitiesOf('CUST-1')).toEqual([]);

    const second = await registry.clients.crm.compensate(remove, options(key));
    expect(second).toMatchObject({ ok: true, value: { httpStatus: 204 } });

    // A server that answers 404 for an activity it no longer has: the activity is gone, which is the goal.
    upstreams.crm.faults.enqueue({ kind: 'status', status: 404 });
    const gone = await registry.clients.crm.compensate(remove, options(key));
    expect(gone).toEqual({ ok: true, value: { httpStatus: 404, replayed: false, attempts: 1 } });

    const deletes = upstreams.crm.requests.filter(({ method }) => method === 'DELETE');
    expect(deletes.map(({ path }) => path)).toEqual(Array(3).fill(`/crm/activities/${activity.activityId}`));
    // The contracts define Idempotency-Key for POSTs; a DELETE is idempotent by itself and carries no body.
    for (const request of deletes) {
      expect(request.headers['idempotency-key']).toBeUndefined();
      expect(request.headers['content-type']).toBeUndefined();
    }
  });

  it('does not count a restore of a deduction the upstream does not know as undone: a 404 there is a rejection', async () => {
    const upstreams = await startUpstreams();
    const registry = registryFor(configFor(upstreams));
    const unknown = { orderId: 'ORD-X', deductionId: 'ded_missing', items: [], replayed: false, attempts: 1 };
    const outcome = await registry.clients.inventory.compensate(
      inventoryModule().compensation(unknown),
      options(compensationIdempotencyKey('fgw_x')),
    );
    expect(outcome).toMatchObject({
      ok: false,
      failure: {
        kind: 'rejected',
        httpStatus: 404,
        code: 'unknown_deduction',
        retryable: false,
        attempts: 1,
      },
    });
  });

  it('calls a 2xx that is not one of the undone statuses a contract breach, without retrying it', async () => {
    const upstreams = await startUpstreams();
    const registry = registryFor(configFor(upstreams));
    const { activity, crmKey } = await writeBoth(registry, order('ORD-202'));
    upstreams.crm.faults.enqueue({ kind: 'status', status: 202, body: { queued: true } });
    const outcome = await registry.clients.crm.compensate(
      crmModule().compensation(activity),
      options(compensationIdempotencyKey(crmKey)),
    );
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'invalidResponse', httpStatus: 202 } });
    expect(upstreams.crm.requests.filter(({ method }) => method === 'DELETE')).toHaveLength(1);
  });
});

describe('compensation deliveries (the worker)', () => {
  it('delivers compensation deliveries enqueued directly, each with its derived key, id and result', async () => {
    const upstreams = await startUpstreams();
    const config = configFor(upstreams);
    const metrics = createMetrics();
    const registry = registryFor(config, metrics);
    const item = order('ORD-QUEUED-UNDO');
    const { deduction, activity, inventoryKey, crmKey } = await writeBoth(registry, item);
    const restore: NewDelivery = compensationDelivery({
      orderId: item.orderId,
      target: 'inventory',
      writeUpstreamKey: inventoryKey,
      request: inventoryModule().compensation(deduction),
      clientId: CLIENT,
    });
    const remove = compensationDelivery({
      orderId: item.orderId,
      target: 'crm',
      writeUpstreamKey: crmKey,
      request: crmModule().compensation(activity),
    });
    expect(restore.upstreamKey).toBe(compensationIdempotencyKey(inventoryKey));
    const expectedId = `dlv_${createHash('sha256').update(`compensation:${restore.upstreamKey}`).digest('base64url')}`;
    expect(restore.id).toBe(expectedId);
    const queue = await openQueue(config);
    await queue.enqueue([restore, remove]);
    expect((await queue.enqueue([restore]))[0]?.created).toBe(false);
    startWorker(queue, config, registry, metrics);

    const restored = await waitForState(queue, restore.id, 'DELIVERED');
    const removed = await waitForState(queue, remove.id, 'DELIVERED');
    expect(restored).toMatchObject({ kind: 'compensation', attempts: 1, result: { httpStatus: 200 } });
    expect(removed).toMatchObject({ kind: 'compensation', attempts: 1, result: { httpStatus: 204 } });
    expect(upstreams.inventory.stockOf('SKU-U')).toBe(10);
    expect(upstreams.crm.activitiesOf('CUST-1')).toEqual([]);
    const sent = upstreams.inventory.requests.find(({ path }) => path === '/inventory/restore');
    expect(sent?.headers['idempotency-key']).toBe(restore.upstreamKey);
    expect(await deadCompensations(metrics, 'inventory')).toBe(0);
  });

  it('retries a compensation answering 503 on its own schedule, goes DEAD with the alert, and a replay finishes it', async () => {
    const upstreams = await startUpstreams();
    const config = configFor(upstreams, {
      // One attempt for writes: only the compensation schedule can allow three.
      DELIVERY_RETRY_SCHEDULE: '0s',
      DELIVERY_COMPENSATION_RETRY_SCHEDULE: '0s,50ms,50ms',
      INVENTORY_MAX_ATTEMPTS: '1',
      INVENTORY_BREAKER_FAILURES: '1000',
    });
    const metrics = createMetrics();
    const registry = registryFor(config, metrics);
    const item = order('ORD-UNDO-503');
    const { deduction, inventoryKey } = await writeBoth(registry, item);
    upstreams.inventory.faults.set({
      failure: { kind: 'status', status: 503 },
      paths: ['/inventory/restore'],
    });
    const restore = compensationDelivery({
      orderId: item.orderId,
      target: 'inventory',
      writeUpstreamKey: inventoryKey,
      request: inventoryModule().compensation(deduction),
    });
    const queue = await openQueue(config);
    await queue.enqueue([restore]);
    const { lines } = startWorker(queue, config, registry, metrics);

    const dead = await waitForState(queue, restore.id, 'DEAD');
    expect(dead.attempts).toBe(3);
    expect(dead.lastFailure).toContain('503');
    expect(dead.lastFailure).toContain('retry schedule is exhausted');
    expect(upstreams.inventory.requestCount('/inventory/restore')).toBe(3);
    expect(upstreams.inventory.stockOf('SKU-U')).toBe(8);
    await waitUntil(
      async () => (await deadCompensations(metrics, 'inventory')) === 1,
      'the alert is counted',
    );
    const alert = lines.find((line) => line.deliveryId === restore.id && line.level === 50);
    expect(alert).toMatchObject({ orderId: item.orderId, target: 'inventory', kind: 'compensation' });
    expect(String(alert?.msg)).toContain('compensation dead');

    upstreams.inventory.faults.reset();
    expect((await queue.replay(restore.id)).outcome).toBe('updated');
    const delivered = await waitForState(queue, restore.id, 'DELIVERED');
    expect(delivered.attempts).toBe(4);
    expect(upstreams.inventory.stockOf('SKU-U')).toBe(10);
    expect(await deadCompensations(metrics, 'inventory')).toBe(1);
  });

  it('kills a compensation whose payload is not a compensation request, with the alert, sending nothing', async () => {
    const upstreams = await startUpstreams();
    const config = configFor(upstreams);
    const metrics = createMetrics();
    const registry = registryFor(config, metrics);
    const queue = await openQueue(config);
    const forged: NewDelivery = {
      id: 'dlv_forged',
      kind: 'compensation',
      orderId: 'ORD-FORGED',
      target: 'crm',
      upstreamKey: 'fgw_undo_forged',
      payload: { method: 'DELETE', path: '/crm/activities/..', undoneStatuses: [204] },
    };
    await queue.enqueue([forged]);
    startWorker(queue, config, registry, metrics);

    const dead = await waitForState(queue, forged.id, 'DEAD');
    expect(dead.lastFailure).toContain('not a compensation request');
    expect(upstreams.crm.requestCount()).toBe(0);
    await waitUntil(async () => (await deadCompensations(metrics, 'crm')) === 1, 'the alert is counted');
  });
});
