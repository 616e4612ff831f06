// ALL_OR_NOTHING under concurrency: two gateways racing one saga on one SQLite dir, a recovery sweep looping during rollbacks, hundreds of orders in one placeOrders.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { openSqliteDeliveryQueue } from '../src/delivery/index.js';
import { createLogger, createMetrics } from '../src/observability/index.js';
import { createSagaWriteObserver } from '../src/saga/index.js';
import { createTargetRegistry } from '../src/targets/index.js';
import { deleteRedisKeys } from './support/delete-redis-keys.js';
import { SHARED_REDIS_URL } from './support/saga-durable-processes.js';
import { type SharedDataDir, startSharedDataDir } from './support/saga-hostile-shared-dir.js';
import {
  allOrNothing,
  deliveriesOf,
  PLACE_SAGA,
  PLACE_SAGAS,
  placeSaga,
  type SagaPayload,
} from './support/saga-operations.js';
import { activityIdsAt, compensationRequests, stockAt, writesFor } from './support/saga-upstream-reads.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const SKU = 'SKU-RACE';
/** Not one of the demo CRM's customers: CRM rejects the write with 404, for good. */
const UNKNOWN_CUSTOMER = 'CUST-NOBODY';
/** Every test waits for leases, workers or hundreds of upstream calls; a loaded machine only makes it slower. */
const TEST_TIMEOUT_MS = 60_000;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const orderIdFor = (label: string) => `hostile-race-${label}-${randomUUID().slice(0, 8)}`;

async function sharedDataDir(stock: number, env: Record<string, string> = {}): Promise<SharedDataDir> {
  const shared = await startSharedDataDir({ [SKU]: stock }, env);
  cleanups.push(() => shared.close());
  return shared;
}

const isSettled = ({ state }: { state: string }) =>
  state === 'DELIVERED' || state === 'DEAD' || state === 'CANCELLED';

describe('two gateways on one SQLite data dir race one SYNC ALL_OR_NOTHING order', () => {
  it(
    "a repeat at B while A still sends reads the saga and sends nothing; A's lease heartbeat keeps B's worker off the writes",
    async () => {
      // Every deduct takes three leases long: only A's heartbeat keeps B's worker from resending it.
      const shared = await sharedDataDir(100, { FANOUT_DEADLINE_MS: '15000', INVENTORY_TIMEOUT_MS: '10000' });
      const a = await shared.startGateway();
      const b = await shared.startGateway();
      shared.inventory.faults.set({
        paths: ['/inventory/deduct', '/inventory/deduct/batch'],
        latencyMs: 3000,
      });
      const orderId = orderIdFor('repeat');
      const input = { orderId, customerId: UNKNOWN_CUSTOMER, items: [{ sku: SKU, quantity: 2 }] };

      const atA = placeSaga(a.graphql, input);
      await waitUntil(() => shared.inventory.inFlight() >= 1, 'A is sending the deduct');
      const atB = await placeSaga(b.graphql, input);
      const answerA = await atA;

      expect(['ACCEPTED', 'ROLLBACK_PENDING', 'ROLLED_BACK']).toContain(atB.status);
      expect(answerA.status).toBe('ROLLED_BACK');
      shared.inventory.faults.reset();
      await waitUntil(
        async () => (await deliveriesOf(a.graphql, orderId)).every(isSettled),
        'every delivery of the order settled',
      );
      const deliveries = await deliveriesOf(a.graphql, orderId);
      expect(deliveries.map(({ target, kind, state }) => `${target} ${kind} ${state}`).sort()).toEqual([
        'CRM WRITE DEAD',
        'INVENTORY COMPENSATION DELIVERED',
        'INVENTORY WRITE DELIVERED',
      ]);
      expect(
        writesFor(shared.inventory.requests, orderId).filter(({ path }) =>
          path.startsWith('/inventory/deduct'),
        ),
      ).toHaveLength(1);
      expect(writesFor(shared.crm.requests, orderId)).toHaveLength(1);
      expect(compensationRequests(shared.inventory.requests)).toHaveLength(1);
      expect(await stockAt(shared.inventory.url, SKU)).toBe(100);
      expect((await placeSaga(b.graphql, input)).status).toBe('ROLLED_BACK');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a repeat at B with other contents while A still sends is refused with IDEMPOTENCY_KEY_REUSED and sends nothing',
    async () => {
      const shared = await sharedDataDir(100, { FANOUT_DEADLINE_MS: '15000', INVENTORY_TIMEOUT_MS: '10000' });
      const a = await shared.startGateway();
      const b = await shared.startGateway();
      shared.inventory.faults.set({ paths: ['/inventory/deduct'], latencyMs: 2000 });
      const orderId = orderIdFor('conflict');
      const input = { orderId, customerId: 'CUST-1', items: [{ sku: SKU, quantity: 2 }] };

      const atA = placeSaga(a.graphql, input);
      await waitUntil(() => shared.inventory.inFlight() >= 1, 'A is sending the deduct');
      const conflicting = await b.graphql<{ placeOrder: SagaPayload | null }>(PLACE_SAGA, {
        input: { ...input, items: [{ sku: SKU, quantity: 5 }] },
        options: allOrNothing(),
      });

      expect(conflicting.body.data?.placeOrder ?? null).toBeNull();
      expect(conflicting.body.errors?.[0]?.extensions).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        orderIds: [orderId],
      });
      expect((await atA).status).toBe('SUCCEEDED');
      expect(writesFor(shared.inventory.requests, orderId)).toHaveLength(1);
      expect(writesFor(shared.crm.requests, orderId)).toHaveLength(1);
      expect(await stockAt(shared.inventory.url, SKU)).toBe(98);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('a recovery sweep looping in another process while orders roll back', () => {
  it(
    'undoes each rolled-back order once: 20 of 40 SYNC orders rolled back, 20 restores of 20 deductions',
    async () => {
      const shared = await sharedDataDir(1000, { FANOUT_DEADLINE_MS: '15000' });
      const gateway = await shared.startGateway();
      // The other process: its own queue on the same file, running the saga's start-up recovery over and over.
      const config = loadConfig(shared.env);
      const queue = await openSqliteDeliveryQueue({ dataDir: shared.dataDir });
      cleanups.push(() => queue.close());
      const observer = createSagaWriteObserver({
        queue,
        registry: createTargetRegistry(config, createMetrics()),
        logger: createLogger(config.log),
      });
      let sweeping = true;
      let sweeps = 0;
      const sweeper = (async () => {
        while (sweeping) {
          await observer.recover();
          sweeps++;
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      cleanups.push(() => {
        sweeping = false;
        return sweeper;
      });
      // A slow CRM keeps each DEAD CRM write beside an IN_FLIGHT Inventory write for a while: the sweep's window.
      shared.crm.faults.set({ paths: ['/crm/log_activity'], latencyMs: 30 });
      const orders = Array.from({ length: 40 }, (_, index) => ({
        orderId: orderIdFor(`sweep-${index}`),
        customerId: index % 2 === 0 ? UNKNOWN_CUSTOMER : 'CUST-1',
        items: [{ sku: SKU, quantity: 1 }],
      }));

      const answers = await Promise.all(orders.map((input) => placeSaga(gateway.graphql, input)));
      sweeping = false;
      await sweeper;

      expect(sweeps).toBeGreaterThan(0);
      expect(answers.map(({ status }) => status)).toEqual(
        orders.map((_, index) => (index % 2 === 0 ? 'ROLLED_BACK' : 'SUCCEEDED')),
      );
      await waitUntil(
        async () => (await stockAt(shared.inventory.url, SKU)) === 980,
        'every rollback finished',
      );
      const restored = compensationRequests(shared.inventory.requests).map(
        ({ body }) => (body as { deductionId?: unknown }).deductionId,
      );
      expect(restored).toHaveLength(20);
      expect(new Set(restored).size).toBe(20);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('placeOrders ALL_OR_NOTHING with hundreds of orders, some failing at either target', () => {
  type Kind = 'ok' | 'crm-rejects' | 'inventory-rejects';
  const kindOf = (index: number): Kind =>
    index % 4 === 1 ? 'crm-rejects' : index % 7 === 3 ? 'inventory-rejects' : 'ok';
  const MANY_SKU = 'SKU-MANY';
  const DEADLINE_MS = 10_000;

  async function start(env: Record<string, string> = {}): Promise<TestGateway> {
    const gateway = await startTestGateway({
      inventory: { stock: { [MANY_SKU]: 100_000, 'SKU-LIMITED': 3 } },
      env: { DELIVERY_POLL_INTERVAL_MS: '20', FANOUT_DEADLINE_MS: String(DEADLINE_MS), ...env },
    });
    cleanups.push(() => gateway.close());
    return gateway;
  }

  /** What each order is expected to answer, by its kind. */
  function expectedPayload(kind: Kind, orderId: string) {
    if (kind === 'ok') return { orderId, status: 'SUCCEEDED', compensations: [] };
    return {
      orderId,
      status: 'ROLLED_BACK',
      compensations: [
        {
          target: kind === 'crm-rejects' ? 'INVENTORY' : 'CRM',
          state: 'COMPENSATED',
          writeWasApplied: true,
        },
      ],
    };
  }

  async function placeMany(gateway: TestGateway, count: number) {
    const run = randomUUID().slice(0, 8);
    const inputs = Array.from({ length: count }, (_, index) => {
      const kind = kindOf(index);
      return {
        orderId: `hostile-many-${run}-${index}`,
        customerId: kind === 'crm-rejects' ? UNKNOWN_CUSTOMER : `CUST-${(index % 1000) + 1}`,
        items: [
          kind === 'inventory-rejects' ? { sku: 'SKU-LIMITED', quantity: 5 } : { sku: MANY_SKU, quantity: 1 },
        ],
      };
    });
    const started = performance.now();
    const response = await gateway.graphql<{ placeOrders: SagaPayload[] }>(PLACE_SAGAS, {
      inputs,
      options: allOrNothing(),
    });
    const ms = performance.now() - started;

    expect(response.body.errors).toBeUndefined();
    // Every order of an ALL_OR_NOTHING request answers within twice the deadline, rollbacks included.
    expect(ms).toBeLessThan(2 * DEADLINE_MS);
    const payloads = response.body.data?.placeOrders ?? [];
    expect(payloads).toHaveLength(count);
    payloads.forEach((payload, index) => {
      expect(payload).toMatchObject(expectedPayload(kindOf(index), inputs[index]?.orderId ?? ''));
    });
    const succeeded = inputs.filter((_, index) => kindOf(index) === 'ok').length;
    expect(await stockAt(gateway.inventory.url, MANY_SKU)).toBe(100_000 - succeeded);
    expect(await stockAt(gateway.inventory.url, 'SKU-LIMITED')).toBe(3);
    const rejectedByInventory = inputs.filter((_, index) => kindOf(index) === 'inventory-rejects');
    for (const { customerId, orderId } of rejectedByInventory.slice(0, 5))
      expect(await activityIdsAt(gateway.crm.url, customerId, orderId)).toEqual([]);
  }

  it(
    '600 orders on the SQLite queue: each answers its own status and compensation, the stock is exact',
    async () => {
      await placeMany(await start(), 600);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '300 orders on the Redis queue: each answers its own status and compensation, the stock is exact',
    async () => {
      const prefix = `fanout-saga-hostile-${randomUUID()}:`;
      cleanups.push(() => deleteRedisKeys(SHARED_REDIS_URL, prefix));
      await placeMany(
        await start({ DELIVERY_QUEUE: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix }),
        300,
      );
    },
    TEST_TIMEOUT_MS,
  );
});
