// SYNC ALL_OR_NOTHING on the Redis queue: the basics on the shared Redis, then its own Redis paused or stopped at each step of an order.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deleteRedisKeys } from './support/delete-redis-keys.js';
import { SHARED_REDIS_URL } from './support/saga-durable-processes.js';
import { SAGA_SKU as SKU, sagaInput, UNKNOWN_CUSTOMER, useSagaGateways } from './support/saga-gateways.js';
import {
  deliveryLines,
  PAUSE_MS,
  type PausableRedisGateway,
  placeTimed,
  placeWhileRedisStalls,
  startGatewayOnOwnRedis,
} from './support/saga-hostile-paused-redis.js';
import { allOrNothing, compensationOf, deliveriesOf, placeSaga } from './support/saga-operations.js';
import { subscribeToDeliveryUpdates } from './support/saga-subscriber.js';
import { activityIdsAt, compensationRequests, stockAt, writesFor } from './support/saga-upstream-reads.js';
import type { TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

/** Spent by the order that loads the queue's scripts into a fresh Redis, never by the order under test. */
const WARM_SKU = 'SKU-WARM';
/** What the gateways start with of SKU: SAGA_STOCK holds as much, and the own-Redis gateways are given it. */
const STOCK = 100;
/** Every test waits for workers and leases; a loaded machine only makes it slower. */
const TEST_TIMEOUT_MS = 60_000;

const { start: startGateway, onCleanup, orderIdFor } = useSagaGateways('hostile-redis');
const input = (orderId: string, customerId = UNKNOWN_CUSTOMER, sku = SKU, quantity = 2) =>
  sagaInput(orderId, { customerId, sku, quantity });

describe('SYNC ALL_OR_NOTHING on the Redis queue', () => {
  async function start(env: Record<string, string> = {}): Promise<TestGateway> {
    const prefix = `fanout-saga-hostile-${randomUUID()}:`;
    onCleanup(() => deleteRedisKeys(SHARED_REDIS_URL, prefix));
    return startGateway({
      DELIVERY_QUEUE: 'redis',
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      ...env,
    });
  }

  async function watch(gateway: TestGateway, orderId: string) {
    const subscriber = await subscribeToDeliveryUpdates(gateway.url, { orderId });
    onCleanup(() => subscriber.dispose());
    return subscriber;
  }

  it('answers SUCCEEDED, and a repeat answers SUCCEEDED without sending anything again', async () => {
    const gateway = await start();
    const orderId = orderIdFor('ok');

    expect((await placeSaga(gateway.graphql, input(orderId, 'CUST-1'))).status).toBe('SUCCEEDED');
    const repeat = await placeSaga(gateway.graphql, input(orderId, 'CUST-1'));

    expect(repeat.status).toBe('SUCCEEDED');
    expect(repeat.inventory).toMatchObject({ __typename: 'StockDeducted', replayed: true });
    expect(writesFor(gateway.inventory.requests, orderId)).toHaveLength(1);
    expect(writesFor(gateway.crm.requests, orderId)).toHaveLength(1);
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(STOCK - 2);
  });

  it('restores the deduction inside the request when CRM rejects, and a deliveryUpdated(orderId) subscriber sees the compensation DELIVERED', async () => {
    const gateway = await start();
    const orderId = orderIdFor('crm-rejects');
    const subscriber = await watch(gateway, orderId);

    const payload = await placeSaga(gateway.graphql, input(orderId));

    expect(payload.status).toBe('ROLLED_BACK');
    expect(compensationOf(payload, 'INVENTORY')).toMatchObject({
      state: 'COMPENSATED',
      writeWasApplied: true,
    });
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(STOCK);
    await waitUntil(
      () => subscriber.updates.some(({ kind, state }) => kind === 'COMPENSATION' && state === 'DELIVERED'),
      'the subscriber saw the compensation DELIVERED',
    );
    expect(subscriber.updates.every((update) => update.orderId === orderId)).toBe(true);
    expect(subscriber.errors).toEqual([]);
  });

  it(
    'answers ROLLBACK_PENDING while the restore fails; the subscriber sees the worker retry it, and it is DELIVERED once Inventory recovers',
    async () => {
      const gateway = await start({
        DELIVERY_COMPENSATION_RETRY_SCHEDULE: ['0s', ...Array<string>(40).fill('300ms')].join(','),
        INVENTORY_BREAKER_HALF_OPEN_AFTER_MS: '200',
      });
      const orderId = orderIdFor('restore-down');
      const subscriber = await watch(gateway, orderId);
      gateway.inventory.faults.set({
        paths: ['/inventory/restore'],
        failure: { kind: 'status', status: 503 },
      });

      const payload = await placeSaga(gateway.graphql, input(orderId));

      expect(payload.status).toBe('ROLLBACK_PENDING');
      expect(compensationOf(payload, 'INVENTORY').state).toBe('PENDING');
      const compensationUpdates = () => subscriber.updates.filter(({ kind }) => kind === 'COMPENSATION');
      await waitUntil(
        () => compensationUpdates().some(({ attempts, state }) => attempts >= 2 && state === 'QUEUED'),
        'the subscriber saw a worker attempt of the restore fail',
      );
      gateway.inventory.faults.reset();
      await waitUntil(
        () => compensationUpdates().some(({ state }) => state === 'DELIVERED'),
        'the subscriber saw the restore DELIVERED',
      );
      expect(await stockAt(gateway.inventory.url, SKU)).toBe(STOCK);
      expect((await placeSaga(gateway.graphql, input(orderId))).status).toBe('ROLLED_BACK');
      expect(subscriber.errors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it('resolves a CRM write that hung after applying when Inventory rejects: the activity is deleted by one DELETE', async () => {
    const gateway = await start();
    const orderId = orderIdFor('crm-hangs');
    const order = input(orderId, 'CUST-1', 'SKU-LIMITED', 5);
    gateway.crm.faults.set({ paths: ['/crm/log_activity'] });
    gateway.crm.faults.enqueue({ kind: 'hang', afterApply: true });

    const payload = await placeSaga(gateway.graphql, order, allOrNothing({ deadlineMs: 1000 }));

    expect(payload.crm.__typename).toBe('UpstreamTimeout');
    expect(['ROLLED_BACK', 'ROLLBACK_PENDING']).toContain(payload.status);
    await waitUntil(
      async () => (await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).length === 0,
      'the activity logged by the hung write is deleted',
    );
    const final = await placeSaga(gateway.graphql, order);
    expect(final.status).toBe('ROLLED_BACK');
    expect(compensationOf(final, 'CRM')).toMatchObject({ state: 'COMPENSATED', writeWasApplied: true });
    expect(compensationRequests(gateway.crm.requests)).toHaveLength(1);
    expect(await deliveriesOf(gateway.graphql, orderId)).toHaveLength(3);
  });
});

describe('SYNC ALL_OR_NOTHING while its Redis is paused or stopped', () => {
  async function start(): Promise<PausableRedisGateway> {
    const setup = await startGatewayOnOwnRedis({ [SKU]: STOCK, [WARM_SKU]: STOCK });
    onCleanup(() => setup.close());
    return setup;
  }

  /** Loads every queue script (enqueue, settle, reconcile, read) into the fresh Redis, as any earlier rollback does. */
  async function warmUp({ gateway }: PausableRedisGateway): Promise<void> {
    const warm = await placeSaga(gateway.graphql, input(orderIdFor('warm'), UNKNOWN_CUSTOMER, WARM_SKU, 1));
    expect(warm.status).toBe('ROLLED_BACK');
    // What the upstreams receive from here on is the order under test's.
    gateway.inventory.clearRequests();
    gateway.crm.clearRequests();
  }

  /**
   * Waits, without placing anything, until the workers finished the rollback: the compensation DELIVERED
   * and the stock back; then checks one compensation restored one deduction and a repeat reads ROLLED_BACK.
   */
  async function expectRolledBackByTheWorkers(gateway: TestGateway, orderId: string): Promise<void> {
    await waitUntil(
      async () =>
        (await deliveryLines(gateway, orderId)).includes('INVENTORY COMPENSATION DELIVERED') &&
        (await stockAt(gateway.inventory.url, SKU)) === STOCK,
      'the workers finished the rollback',
    );
    // The Inventory write is resent by a worker (DELIVERED, then undone) or, when the CRM write died
    // first, stopped and resolved by its resolve-then-undo compensation (CANCELLED): one compensation.
    const [crmWrite, compensation, inventoryWrite] = await deliveryLines(gateway, orderId);
    expect([crmWrite, compensation]).toEqual(['CRM WRITE DEAD', 'INVENTORY COMPENSATION DELIVERED']);
    expect(['INVENTORY WRITE DELIVERED', 'INVENTORY WRITE CANCELLED']).toContain(inventoryWrite);
    expect(await deliveryLines(gateway, orderId)).toHaveLength(3);
    const restored = compensationRequests(gateway.inventory.requests).map(
      ({ body }) => (body as { deductionId?: unknown }).deductionId,
    );
    expect(new Set(restored).size).toBe(1);
    const repeat = await placeSaga(gateway.graphql, input(orderId));
    expect(repeat.status).toBe('ROLLED_BACK');
    expect(compensationOf(repeat, 'INVENTORY')).toMatchObject({
      state: 'COMPENSATED',
      writeWasApplied: true,
    });
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(STOCK);
  }

  it(
    'paused before the writes are committed: 503 DELIVERY_QUEUE_UNAVAILABLE saying the order may still be recorded; the late-landing writes are rolled back by the workers',
    async () => {
      const setup = await start();
      await warmUp(setup);
      const { gateway } = setup;
      const orderId = orderIdFor('pause-before');
      await setup.pause(PAUSE_MS);

      const { response, ms } = await placeTimed(gateway, input(orderId));

      expect(ms).toBeLessThan(PAUSE_MS);
      expect(response.status).toBe(503);
      expect(response.body.data?.placeOrder ?? null).toBeNull();
      expect(response.body.errors?.[0]?.message).toContain('the change may still be recorded');
      expect(response.body.errors?.[0]?.extensions).toMatchObject({
        code: 'DELIVERY_QUEUE_UNAVAILABLE',
        outcomeUnknown: true,
      });
      // Redis ran the enqueue once the pause ended: the writes exist, and the workers carry them out.
      await expectRolledBackByTheWorkers(gateway, orderId);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'paused before the writes are committed, a valid order: the outcome-unknown answer holds, as the order is carried out later and a repeat answers SUCCEEDED',
    async () => {
      const setup = await start();
      await warmUp(setup);
      const { gateway } = setup;
      const orderId = orderIdFor('pause-valid');
      await setup.pause(PAUSE_MS);

      const { response } = await placeTimed(gateway, input(orderId, 'CUST-1'));

      expect(response.body.errors?.[0]?.extensions).toMatchObject({
        code: 'DELIVERY_QUEUE_UNAVAILABLE',
        outcomeUnknown: true,
      });
      await waitUntil(
        async () =>
          (await deliveryLines(gateway, orderId)).join() === 'CRM WRITE DELIVERED,INVENTORY WRITE DELIVERED',
        'the workers delivered both writes',
      );
      const repeat = await placeSaga(gateway.graphql, input(orderId, 'CUST-1'));
      expect(repeat.status).toBe('SUCCEEDED');
      expect(await stockAt(gateway.inventory.url, SKU)).toBe(STOCK - 2);
      expect(await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );

  it.each([
    { redis: 'a fresh Redis (the settle scripts never ran: nothing lands late)', warm: false },
    { redis: 'a Redis that ran every script before (the timed-out settlements land late)', warm: true },
  ])(
    'paused after the writes went out, on $redis: 200 ROLLBACK_PENDING with what the request saw, then ROLLED_BACK by the workers',
    async ({ warm }) => {
      const setup = await start();
      if (warm) await warmUp(setup);
      const orderId = orderIdFor('pause-mid');

      const response = await placeWhileRedisStalls(setup, input(orderId), '/inventory/deduct', 'pause');

      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.placeOrder).toMatchObject({
        inventory: { __typename: 'StockDeducted' },
        crm: { __typename: 'UpstreamRejected', httpStatus: 404 },
      });
      await expectRolledBackByTheWorkers(setup.gateway, orderId);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stopped (SIGSTOP) after the writes went out: 200 ROLLBACK_PENDING, then ROLLED_BACK by the workers once it continues',
    async () => {
      const setup = await start();
      const orderId = orderIdFor('stop-mid');

      await placeWhileRedisStalls(setup, input(orderId), '/inventory/deduct', 'stop');

      await expectRolledBackByTheWorkers(setup.gateway, orderId);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'paused while the restore is being sent: 200 ROLLBACK_PENDING, then the compensation is finished by the workers',
    async () => {
      const setup = await start();
      const orderId = orderIdFor('pause-undo');

      await placeWhileRedisStalls(setup, input(orderId), '/inventory/restore', 'pause');

      await expectRolledBackByTheWorkers(setup.gateway, orderId);
    },
    TEST_TIMEOUT_MS,
  );
});
