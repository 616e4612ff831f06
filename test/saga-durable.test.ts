// ALL_OR_NOTHING survives crashes and runs in the worker: kill -9 mid-rollback, ASYNC rollbacks, DEAD compensations, Redis, the recovery sweep; real processes and demo upstreams.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { deadlineIn } from '../src/core/index.js';
import { type JsonValue, openSqliteDeliveryQueue } from '../src/delivery/index.js';
import { writeDelivery } from '../src/fanout/index.js';
import { createMetrics } from '../src/observability/index.js';
import { joinSaga, loadSaga, sagaOutcome } from '../src/saga/index.js';
import { createTargetRegistry, type Order } from '../src/targets/index.js';
import { parsePrometheus, sampleValue } from './support/parse-prometheus.js';
import {
  circuitOf,
  type DeliveryView,
  findDelivery,
  placeAllOrNothing,
  replayDelivery,
  waitForDeliveries,
} from './support/saga-durable-graphql.js';
import {
  type DurableUpstreams,
  durableEnv,
  SHARED_REDIS_URL,
  useSagaDurableHarness,
} from './support/saga-durable-processes.js';
import { sendGraphQL } from './support/send-graphql.js';
import { waitUntil } from './support/wait-until.js';

const SKU = 'SKU-DURABLE';
const STOCK = 50;
const QUANTITY = 2;
/** Not one of the demo CRM's customers (CUST-1 .. CUST-1000): CRM rejects the write with 404. */
const UNKNOWN_CUSTOMER = 'CUST-UNKNOWN';
/** Spawned processes compile with tsx on start; a loaded machine needs time. */
const TEST_TIMEOUT_MS = 180_000;

const harness = useSagaDurableHarness();

/** An order of its own, for a customer the CRM rejects. */
function orderFor(label: string): Order {
  return {
    orderId: `${label}-${randomUUID()}`,
    customerId: UNKNOWN_CUSTOMER,
    items: [{ sku: SKU, quantity: QUANTITY }],
  };
}

/** Each delivery as "TARGET KIND STATE", sorted: the whole saga at a glance. */
function summary(deliveries: readonly DeliveryView[]): string[] {
  return deliveries.map(({ target, kind, state }) => `${target} ${kind} ${state}`).sort();
}

function stockOf(upstreams: DurableUpstreams): number | undefined {
  return upstreams.inventory.stockOf(SKU);
}

/** The requests `server` received on `path`. */
function requestsTo(server: DurableUpstreams[keyof DurableUpstreams], path: string) {
  return server.requests.filter((request) => request.path === path);
}

/** The distinct values of a request header across `requests`. */
function distinctHeader(requests: readonly { headers: Record<string, unknown> }[], name: string): unknown[] {
  return [...new Set(requests.map((request) => request.headers[name]))];
}

describe('kill -9 during an ALL_OR_NOTHING order (SYNC)', () => {
  it(
    'finishes the rollback after a kill -9 between the failure and the compensation: the restarted gateway restores the stock once',
    async () => {
      const upstreams = await harness.startUpstreams({ [SKU]: STOCK });
      const env = durableEnv(upstreams, {
        FANOUT_DATA_DIR: harness.tempDataDir(),
        DELIVERY_COMPENSATION_RETRY_SCHEDULE: '0s,100ms,100ms,100ms,100ms,100ms',
      });
      // Every restore hangs while the first process lives: its compensation cannot finish there, whenever the kill lands.
      upstreams.inventory.faults.set({ paths: ['/inventory/restore'], failure: { kind: 'hang' } });
      const first = await harness.startGateway({
        ...env,
        INVENTORY_TIMEOUT_MS: '10000',
        FANOUT_DEADLINE_MS: '10000',
      });
      const order = orderFor('kill-before-undo');
      const idempotencyKey = `key-${order.orderId}`;
      const cutOff = placeAllOrNothing(first.url, order, { delivery: 'SYNC', idempotencyKey }).catch(
        (error: unknown) => error,
      );

      await waitUntil(
        () => upstreams.inventory.requestCount('/inventory/restore') >= 1,
        'the first gateway sent the restore',
      );
      expect(stockOf(upstreams)).toBe(STOCK - QUANTITY);
      await first.kill9();
      await cutOff;
      upstreams.inventory.faults.reset();

      const second = await harness.startGateway(env);
      const deliveries = await waitForDeliveries(
        second.url,
        order.orderId,
        (found) => findDelivery(found, 'INVENTORY', 'COMPENSATION')?.state === 'DELIVERED',
        'the restarted gateway delivered the compensation',
      );
      expect(summary(deliveries)).toEqual([
        'CRM WRITE DEAD',
        'INVENTORY COMPENSATION DELIVERED',
        'INVENTORY WRITE DELIVERED',
      ]);
      expect(stockOf(upstreams)).toBe(STOCK);

      // The restore went out more than once (before the kill, after the restart), always with one key and one deduction.
      const deductionId = findDelivery(deliveries, 'INVENTORY', 'WRITE')?.result?.deductionId;
      expect(deductionId).toBeDefined();
      const restores = requestsTo(upstreams.inventory, '/inventory/restore');
      expect(restores.length).toBeGreaterThanOrEqual(2);
      expect(distinctHeader(restores, 'idempotency-key')).toHaveLength(1);
      expect(restores.map((request) => request.body)).toEqual(restores.map(() => ({ deductionId })));
      const deductKey = requestsTo(upstreams.inventory, '/inventory/deduct')[0]?.headers['idempotency-key'];
      expect(distinctHeader(restores, 'idempotency-key')).not.toContain(deductKey);

      const repeat = await placeAllOrNothing(second.url, order, { delivery: 'SYNC', idempotencyKey });
      expect(repeat.status).toBe('ROLLED_BACK');
      expect(repeat.compensations).toEqual([
        expect.objectContaining({
          target: 'INVENTORY',
          state: 'COMPENSATED',
          writeWasApplied: true,
          deliveryId: findDelivery(deliveries, 'INVENTORY', 'COMPENSATION')?.id,
        }),
      ]);
      expect(stockOf(upstreams)).toBe(STOCK);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'resends both writes with their keys after a kill -9 while they were in flight: CRM rejects, the one deduction is restored',
    async () => {
      const upstreams = await harness.startUpstreams({ [SKU]: STOCK });
      const env = durableEnv(upstreams, { FANOUT_DATA_DIR: harness.tempDataDir() });
      // CRM holds the write: nothing is settled while the first process lives, however long the kill takes.
      upstreams.crm.faults.set({ paths: ['/crm/log_activity'], failure: { kind: 'hang' } });
      const first = await harness.startGateway({
        ...env,
        CRM_TIMEOUT_MS: '60000',
        FANOUT_DEADLINE_MS: '60000',
      });
      const order = orderFor('kill-in-flight');
      const idempotencyKey = `key-${order.orderId}`;
      const cutOff = placeAllOrNothing(first.url, order, { delivery: 'SYNC', idempotencyKey }).catch(
        (error: unknown) => error,
      );

      await waitUntil(
        () => upstreams.crm.requestCount('/crm/log_activity') >= 1 && stockOf(upstreams) === STOCK - QUANTITY,
        'the CRM write arrived and Inventory deducted',
      );
      await first.kill9();
      await cutOff;
      upstreams.crm.faults.reset();

      const second = await harness.startGateway(env);
      const deliveries = await waitForDeliveries(
        second.url,
        order.orderId,
        (found) =>
          findDelivery(found, 'CRM', 'WRITE')?.state === 'DEAD' &&
          findDelivery(found, 'INVENTORY', 'COMPENSATION')?.state === 'DELIVERED',
        'CRM rejected the resent write and the deduction was undone',
      );
      expect(stockOf(upstreams)).toBe(STOCK);
      expect(findDelivery(deliveries, 'CRM', 'WRITE')?.lastFailure).toContain('404');
      expect(findDelivery(deliveries, 'CRM', 'COMPENSATION')).toBeUndefined();
      // Resent as the write (DELIVERED, then undone) or by its resolve-then-undo compensation (the write CANCELLED).
      expect(['DELIVERED', 'CANCELLED']).toContain(findDelivery(deliveries, 'INVENTORY', 'WRITE')?.state);

      // Each write was sent again after the restart, with the key it was first sent with.
      const deducts = requestsTo(upstreams.inventory, '/inventory/deduct');
      const activities = requestsTo(upstreams.crm, '/crm/log_activity');
      expect(deducts.length).toBeGreaterThanOrEqual(2);
      expect(activities.length).toBeGreaterThanOrEqual(2);
      expect(distinctHeader(deducts, 'idempotency-key')).toHaveLength(1);
      expect(distinctHeader(activities, 'idempotency-key')).toHaveLength(1);
      // One deduction, restored: the stock is back where it was, and every restore names that deduction.
      const restores = requestsTo(upstreams.inventory, '/inventory/restore');
      expect(restores.length).toBeGreaterThanOrEqual(1);
      expect(new Set(restores.map((request) => JSON.stringify(request.body))).size).toBe(1);

      const repeat = await placeAllOrNothing(second.url, order, { delivery: 'SYNC', idempotencyKey });
      expect(repeat.status).toBe('ROLLED_BACK');
      expect(repeat.compensations).toEqual([
        expect.objectContaining({ target: 'INVENTORY', state: 'COMPENSATED', writeWasApplied: true }),
      ]);
    },
    TEST_TIMEOUT_MS,
  );
});

/** Keeps CRM's write alive on 503s for many attempts, so the test decides when it dies; one HTTP attempt each. */
const CRM_DIES_WHEN_TOLD = {
  DELIVERY_RETRY_SCHEDULE: ['0s', ...Array<string>(90).fill('500ms')].join(','),
  CRM_MAX_ATTEMPTS: '1',
  CRM_BREAKER_FAILURES: '10000',
};

/**
 * Case 5 on any deployment: an ASYNC order whose Inventory write is DELIVERED while CRM answers 503;
 * then CRM rejects (unknown customer), its write goes DEAD, and a worker restores the stock.
 */
async function crmDiesAfterInventoryDelivered(url: string, upstreams: DurableUpstreams): Promise<string> {
  upstreams.crm.faults.set({ paths: ['/crm/log_activity'], failure: { kind: 'status', status: 503 } });
  const order = orderFor('async-crm-dead');
  const idempotencyKey = `key-${order.orderId}`;
  const accepted = await placeAllOrNothing(url, order, { delivery: 'ASYNC', idempotencyKey });
  expect(accepted).toMatchObject({
    status: 'ACCEPTED',
    inventory: { __typename: 'DeliveryQueued' },
    crm: { __typename: 'DeliveryQueued' },
    compensations: [],
  });

  await waitForDeliveries(
    url,
    order.orderId,
    (found) => findDelivery(found, 'INVENTORY', 'WRITE')?.state === 'DELIVERED',
    'the Inventory write is DELIVERED',
  );
  expect(stockOf(upstreams)).toBe(STOCK - QUANTITY);
  upstreams.crm.faults.reset();

  const deliveries = await waitForDeliveries(
    url,
    order.orderId,
    (found) => findDelivery(found, 'INVENTORY', 'COMPENSATION')?.state === 'DELIVERED',
    'the worker compensated the Inventory write',
  );
  expect(summary(deliveries)).toEqual([
    'CRM WRITE DEAD',
    'INVENTORY COMPENSATION DELIVERED',
    'INVENTORY WRITE DELIVERED',
  ]);
  expect(findDelivery(deliveries, 'CRM', 'WRITE')?.lastFailure).toContain('404');
  expect(stockOf(upstreams)).toBe(STOCK);
  const restores = requestsTo(upstreams.inventory, '/inventory/restore');
  expect(restores.map((request) => request.body)).toEqual([
    { deductionId: findDelivery(deliveries, 'INVENTORY', 'WRITE')?.result?.deductionId },
  ]);
  // A repeat answers how the saga stands now, not ACCEPTED again.
  const repeat = await placeAllOrNothing(url, order, { delivery: 'ASYNC', idempotencyKey });
  expect(repeat.status).toBe('ROLLED_BACK');
  expect(repeat.compensations).toMatchObject([{ target: 'INVENTORY', state: 'COMPENSATED' }]);
  return order.orderId;
}

describe('ALL_OR_NOTHING with ASYNC delivery: the worker rolls back', () => {
  it(
    'compensates the delivered Inventory write once the CRM write goes DEAD',
    async () => {
      const upstreams = await harness.startUpstreams({ [SKU]: STOCK });
      const gateway = await harness.startGateway(
        durableEnv(upstreams, { FANOUT_DATA_DIR: harness.tempDataDir(), ...CRM_DIES_WHEN_TOLD }),
      );
      await crmDiesAfterInventoryDelivered(gateway.url, upstreams);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'cancels an Inventory write never attempted when the CRM write goes DEAD, and sends no compensation',
    async () => {
      const upstreams = await harness.startUpstreams({ [SKU]: STOCK });
      const gateway = await harness.startGateway(
        durableEnv(upstreams, {
          FANOUT_DATA_DIR: harness.tempDataDir(),
          ...CRM_DIES_WHEN_TOLD,
          // One failed call opens Inventory's circuit for ten minutes: the worker postpones its writes unsent.
          INVENTORY_MAX_ATTEMPTS: '1',
          INVENTORY_BREAKER_FAILURES: '1',
          INVENTORY_BREAKER_HALF_OPEN_AFTER_MS: '600000',
        }),
      );
      upstreams.inventory.faults.set({
        paths: ['/inventory/deduct'],
        failure: { kind: 'status', status: 503 },
      });
      const opener = await sendGraphQL(
        gateway.url,
        `mutation Open($input: PlaceOrderInput!) { placeOrder(input: $input) { status } }`,
        {
          input: {
            orderId: `open-${randomUUID()}`,
            customerId: 'CUST-1',
            items: [{ sku: SKU, quantity: 1 }],
          },
        },
      );
      expect(opener.body.data).toEqual({ placeOrder: { status: 'PARTIALLY_SUCCEEDED' } });
      expect(await circuitOf(gateway.url, 'INVENTORY')).toBe('OPEN');

      upstreams.crm.faults.set({ paths: ['/crm/log_activity'], failure: { kind: 'status', status: 503 } });
      const order = orderFor('async-never-attempted');
      const idempotencyKey = `key-${order.orderId}`;
      const accepted = await placeAllOrNothing(gateway.url, order, { delivery: 'ASYNC', idempotencyKey });
      const inventoryWriteId = accepted.inventory.deliveryId;
      expect(inventoryWriteId).toBeDefined();
      await waitUntil(
        () =>
          gateway
            .logLines()
            .some((line) => line.msg === 'delivery postponed' && line.deliveryId === inventoryWriteId),
        'the worker postponed the Inventory write (circuit open, nothing sent)',
      );
      upstreams.crm.faults.reset();

      const deliveries = await waitForDeliveries(
        gateway.url,
        order.orderId,
        (found) => findDelivery(found, 'INVENTORY', 'WRITE')?.state === 'CANCELLED',
        'the saga cancelled the Inventory write',
      );
      expect(summary(deliveries)).toEqual(['CRM WRITE DEAD', 'INVENTORY WRITE CANCELLED']);
      expect(findDelivery(deliveries, 'INVENTORY', 'WRITE')?.attempts).toBe(0);
      const deducts = requestsTo(upstreams.inventory, '/inventory/deduct');
      expect(deducts.filter((request) => JSON.stringify(request.body).includes(order.orderId))).toEqual([]);
      expect(upstreams.inventory.requestCount('/inventory/restore')).toBe(0);
      expect(stockOf(upstreams)).toBe(STOCK);
      // Nothing was ever applied, so nothing was undone: the repeat says FAILED.
      const repeat = await placeAllOrNothing(gateway.url, order, { delivery: 'ASYNC', idempotencyKey });
      expect(repeat).toMatchObject({ status: 'FAILED', compensations: [] });
    },
    TEST_TIMEOUT_MS,
  );
});

describe('a compensation that goes DEAD', () => {
  it(
    'answers NEEDS_ATTENTION with the alert raised, and a replay of the compensation finishes the rollback',
    async () => {
      const upstreams = await harness.startUpstreams({ [SKU]: STOCK });
      const gateway = await harness.startGateway(
        durableEnv(upstreams, {
          FANOUT_DATA_DIR: harness.tempDataDir(),
          // The worker's attempt comes 2 s after the request's: the answer is built long before.
          DELIVERY_COMPENSATION_RETRY_SCHEDULE: '0s,2s',
          INVENTORY_MAX_ATTEMPTS: '1',
          INVENTORY_BREAKER_FAILURES: '10000',
        }),
      );
      const deadCompensations = async () => {
        const text = await (await fetch(`${gateway.operatorUrl}/metrics`)).text();
        return sampleValue(parsePrometheus(text), 'fanout_compensations_dead_total', { target: 'inventory' });
      };
      const deadBefore = await deadCompensations();
      upstreams.inventory.faults.set({
        paths: ['/inventory/restore'],
        failure: { kind: 'status', status: 503 },
      });
      const order = orderFor('undo-dead');
      const idempotencyKey = `key-${order.orderId}`;

      const answer = await placeAllOrNothing(gateway.url, order, { delivery: 'SYNC', idempotencyKey });
      expect(answer).toMatchObject({
        status: 'ROLLBACK_PENDING',
        inventory: { __typename: 'StockDeducted' },
        crm: { __typename: 'UpstreamRejected', httpStatus: 404, code: 'unknown_customer' },
        compensations: [{ target: 'INVENTORY', state: 'PENDING', attempts: 1 }],
      });
      const compensationId = answer.compensations[0]?.deliveryId ?? '';
      await waitForDeliveries(
        gateway.url,
        order.orderId,
        (found) => found.some(({ id, state }) => id === compensationId && state === 'DEAD'),
        'the compensation is DEAD',
      );
      expect(stockOf(upstreams)).toBe(STOCK - QUANTITY);

      const attention = await placeAllOrNothing(gateway.url, order, { delivery: 'SYNC', idempotencyKey });
      expect(attention.status).toBe('NEEDS_ATTENTION');
      expect(attention.compensations).toEqual([
        expect.objectContaining({
          target: 'INVENTORY',
          state: 'FAILED',
          deliveryId: compensationId,
          attempts: 2,
        }),
      ]);
      expect(attention.compensations[0]?.lastFailure).toContain('503');
      await waitUntil(
        async () => (await deadCompensations()) === deadBefore + 1,
        'the DEAD compensation is counted',
      );
      const isAlert = (line: Record<string, unknown>) =>
        line.deliveryId === compensationId && line.level === 50;
      await waitUntil(() => gateway.logLines().some(isAlert), 'the gateway logged the alert');
      const alert = gateway.logLines().find(isAlert);
      expect(alert).toMatchObject({ orderId: order.orderId, target: 'inventory', kind: 'compensation' });
      expect(String(alert?.msg)).toContain('compensation dead');

      upstreams.inventory.faults.reset();
      expect(await replayDelivery(gateway.url, compensationId)).toEqual({
        id: compensationId,
        state: 'QUEUED',
      });
      await waitForDeliveries(
        gateway.url,
        order.orderId,
        (found) => found.some(({ id, state }) => id === compensationId && state === 'DELIVERED'),
        'the replayed compensation is DELIVERED',
      );
      expect(stockOf(upstreams)).toBe(STOCK);
      const rolledBack = await placeAllOrNothing(gateway.url, order, { delivery: 'SYNC', idempotencyKey });
      expect(rolledBack.status).toBe('ROLLED_BACK');
      expect(rolledBack.compensations).toEqual([
        expect.objectContaining({ target: 'INVENTORY', state: 'COMPENSATED', deliveryId: compensationId }),
      ]);
      expect(await deadCompensations()).toBe(deadBefore + 1);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('the saga in a standalone worker', () => {
  it(
    'rolls back an ASYNC order in a worker process on the Redis queue, the gateway only accepting',
    async () => {
      const upstreams = await harness.startUpstreams({ [SKU]: STOCK });
      const env = durableEnv(upstreams, {
        ...CRM_DIES_WHEN_TOLD,
        DELIVERY_QUEUE: 'redis',
        REDIS_URL: SHARED_REDIS_URL,
        REDIS_KEY_PREFIX: harness.redisPrefix(),
      });
      const gateway = await harness.startGateway({ ...env, FANOUT_WORKER: 'off' });
      const worker = await harness.startWorker(env);

      const orderId = await crmDiesAfterInventoryDelivered(gateway.url, upstreams);
      const rollingBack = (line: Record<string, unknown>) =>
        line.orderId === orderId && line.msg === 'saga rolling back: compensation queued';
      await waitUntil(() => worker.logLines().some(rollingBack), 'the worker logged the rollback');
      expect(worker.logLines().filter(rollingBack)).toHaveLength(1);
      expect(gateway.logLines().filter(rollingBack)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'finishes at start a rollback a crash left between settling a write DEAD and reconciling its saga',
    async () => {
      const upstreams = await harness.startUpstreams({ [SKU]: STOCK });
      const dataDir = harness.tempDataDir();
      const env = durableEnv(upstreams, { FANOUT_DATA_DIR: dataDir });
      const order = orderFor('recovery-sweep');
      const send = {
        deadline: deadlineIn(10_000),
        client: 'saga-durable-test',
        idempotencyKey: randomUUID(),
      };
      const writes = joinSaga(['inventory', 'crm'].map((target) => writeDelivery(order, target, send)));
      const writeIds = writes.map(({ id }) => id);

      // What a crash right after the settlements leaves: Inventory DELIVERED (really deducted), CRM DEAD, no compensation.
      const queue = await openSqliteDeliveryQueue({ dataDir });
      try {
        const [inventoryWrite, crmWrite] = await queue.enqueue(
          writes.map((write) => ({ ...write, claimForMs: 60_000 })),
        );
        if (!inventoryWrite?.claim || !crmWrite?.claim)
          throw new Error('the writes were not created claimed');
        const deducted = await deductWithKey(env, order, inventoryWrite.delivery.upstreamKey);
        await queue.complete(inventoryWrite.delivery.id, inventoryWrite.claim, deducted);
        await queue.kill(crmWrite.delivery.id, crmWrite.claim, 'HTTP 404 unknown_customer');
        expect(sagaOutcome(await loadSaga(queue, writeIds)).status).toBe('ROLLBACK_PENDING');
      } finally {
        await queue.close();
      }
      expect(stockOf(upstreams)).toBe(STOCK - QUANTITY);

      const worker = await harness.startWorker(env);
      await waitUntil(() => stockOf(upstreams) === STOCK, 'the worker restored the stock');
      const reader = await openSqliteDeliveryQueue({ dataDir });
      try {
        await waitUntil(
          async () => sagaOutcome(await loadSaga(reader, writeIds)).status === 'ROLLED_BACK',
          'the saga is ROLLED_BACK',
        );
        const [inventory] = (await loadSaga(reader, writeIds)).members;
        expect(inventory?.compensation).toMatchObject({
          kind: 'compensation',
          state: 'DELIVERED',
          attempts: 1,
        });
      } finally {
        await reader.close();
      }
      expect(requestsTo(upstreams.inventory, '/inventory/restore')).toHaveLength(1);
      const recovered = (line: Record<string, unknown>) =>
        line.msg === 'saga recovery: reconciled the sagas of failed writes';
      await waitUntil(() => worker.logLines().some(recovered), 'the worker logged its recovery sweep');
      expect(worker.logLines().filter(recovered)).toEqual([expect.objectContaining({ sagas: 1 })]);
    },
    TEST_TIMEOUT_MS,
  );
});

/** Private: deducts `order` at the demo Inventory with its write's key, as the worker would; resolves with the stored result. */
async function deductWithKey(
  env: Record<string, string>,
  order: Order,
  upstreamKey: string,
): Promise<JsonValue> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const registry = createTargetRegistry(config, createMetrics());
  try {
    const [deducted] = await registry.clients.inventory.send([{ order, upstreamKey }], {
      deadline: deadlineIn(10_000),
      client: 'saga-durable-test',
    });
    if (!deducted?.ok) throw new Error(`the deduction failed: ${JSON.stringify(deducted)}`);
    // What decide-settlement stores: the decoded success value as plain JSON.
    return JSON.parse(JSON.stringify(deducted.value)) as JsonValue;
  } finally {
    await registry.close();
  }
}
