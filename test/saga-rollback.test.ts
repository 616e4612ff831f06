// ALL_OR_NOTHING on the request path, against the real demo upstreams: what is rolled back, how, and what the client is told.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startOwnRedis } from './support/own-redis.js';
import { clearFaults, enqueueFaults, queueFaults, setFaults } from './support/saga-demo-faults.js';
import {
  allOrNothing,
  compensationOf,
  deliveriesOf,
  deliveryById,
  PLACE_SAGA,
  PLACE_SAGAS,
  placeSaga,
  type SagaPayload,
} from './support/saga-operations.js';
import { subscribeToDelivery } from './support/saga-subscriber.js';
import {
  activityIdsAt,
  compensationRequests,
  restoresOf,
  stockAt,
  writesFor,
} from './support/saga-upstream-reads.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const SKU = 'SKU-SAGA';
const STOCK = { [SKU]: 100, 'SKU-LIMITED': 3 };
const UNKNOWN_CUSTOMER = 'CUST-NOBODY';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A gateway on its own demo upstreams, its worker polling every 20 ms. The rollback inside a request may
 * take FANOUT_DEADLINE_MS: generous, so a loaded machine does not turn ROLLED_BACK into ROLLBACK_PENDING.
 */
async function start(
  env: Record<string, string> = {},
  options: TestGatewayOptions = {},
): Promise<TestGateway> {
  const gateway = await startTestGateway({
    inventory: { stock: STOCK },
    ...options,
    env: { DELIVERY_POLL_INTERVAL_MS: '20', FANOUT_DEADLINE_MS: '10000', ...env },
  });
  cleanups.push(() => gateway.close());
  return gateway;
}

/** A unique order id, so no two tests (or runs) share a saga. */
const orderIdFor = (label: string) => `saga-${label}-${randomUUID().slice(0, 8)}`;

function input(orderId: string, overrides: { customerId?: string; sku?: string; quantity?: number } = {}) {
  return {
    orderId,
    customerId: overrides.customerId ?? 'CUST-1',
    items: [{ sku: overrides.sku ?? SKU, quantity: overrides.quantity ?? 2 }],
  };
}

const deductionIdOf = (payload: SagaPayload) => String(payload.inventory.deductionId);
const activityIdOf = (payload: SagaPayload) => String(payload.crm.activityId);

describe('ALL_OR_NOTHING rolls back what applied when another target fails for good (SYNC)', () => {
  it.each([
    { cause: 'an unknown customer (404)', customerId: UNKNOWN_CUSTOMER, fault: undefined, httpStatus: 404 },
    {
      cause: 'a 422 queued for the CRM activity path',
      customerId: 'CUST-1',
      fault: { kind: 'status', status: 422 } as const,
      httpStatus: 422,
    },
  ])(
    'restores the Inventory deduction when CRM rejects the order with $cause',
    async ({ customerId, fault, httpStatus }) => {
      const gateway = await start();
      const orderId = orderIdFor('crm-rejects');
      const before = await stockAt(gateway.inventory.url, SKU);
      if (fault) await queueFaults(gateway.crm.url, ['/crm/log_activity'], fault);

      const payload = await placeSaga(gateway.graphql, input(orderId, { customerId }));

      expect(payload.status).toBe('ROLLED_BACK');
      expect(payload.inventory).toMatchObject({
        __typename: 'StockDeducted',
        deductionId: expect.any(String),
      });
      expect(payload.crm).toMatchObject({ __typename: 'UpstreamRejected', httpStatus, retryable: false });
      expect(payload.compensations).toEqual([
        {
          target: 'INVENTORY',
          state: 'COMPENSATED',
          deliveryId: expect.stringMatching(/^dlv_/),
          attempts: 1,
          lastFailure: null,
          writeWasApplied: true,
        },
      ]);
      expect(await stockAt(gateway.inventory.url, SKU)).toBe(before);
      const restores = restoresOf(gateway.inventory.requests, deductionIdOf(payload));
      expect(restores).toHaveLength(1);
      expect(compensationRequests(gateway.crm.requests)).toEqual([]);

      const delivery = await deliveryById(gateway.graphql, compensationOf(payload, 'INVENTORY').deliveryId);
      expect(delivery).toMatchObject({
        orderId,
        target: 'INVENTORY',
        kind: 'COMPENSATION',
        state: 'DELIVERED',
        attempts: 1,
        deliveredAt: expect.any(String),
      });
    },
  );

  it('deletes the CRM activity when Inventory answers 409 out of stock', async () => {
    const gateway = await start();
    const orderId = orderIdFor('out-of-stock');

    const payload = await placeSaga(gateway.graphql, input(orderId, { sku: 'SKU-LIMITED', quantity: 4 }));

    expect(payload.status).toBe('ROLLED_BACK');
    expect(payload.inventory).toMatchObject({
      __typename: 'UpstreamRejected',
      httpStatus: 409,
      code: 'insufficient_stock',
    });
    expect(payload.crm).toMatchObject({ __typename: 'ActivityLogged', activityId: expect.any(String) });
    expect(payload.compensations).toEqual([
      expect.objectContaining({ target: 'CRM', state: 'COMPENSATED', writeWasApplied: true }),
    ]);
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).toEqual([]);
    const deletes = compensationRequests(gateway.crm.requests);
    expect(deletes.map(({ method, path }) => `${method} ${path}`)).toEqual([
      `DELETE /crm/activities/${activityIdOf(payload)}`,
    ]);
    expect(await stockAt(gateway.inventory.url, 'SKU-LIMITED')).toBe(3);
    const delivery = await deliveryById(gateway.graphql, compensationOf(payload, 'CRM').deliveryId);
    expect(delivery).toMatchObject({ kind: 'COMPENSATION', target: 'CRM', state: 'DELIVERED' });
  });

  it('answers FAILED with no compensation when both targets reject the order, and sends no undo', async () => {
    const gateway = await start();
    const orderId = orderIdFor('both-reject');

    const payload = await placeSaga(
      gateway.graphql,
      input(orderId, { customerId: UNKNOWN_CUSTOMER, sku: 'SKU-LIMITED', quantity: 4 }),
    );

    expect(payload.status).toBe('FAILED');
    expect(payload.inventory).toMatchObject({ __typename: 'UpstreamRejected', httpStatus: 409 });
    expect(payload.crm).toMatchObject({ __typename: 'UpstreamRejected', httpStatus: 404 });
    expect(payload.compensations).toEqual([]);
    expect(compensationRequests(gateway.inventory.requests)).toEqual([]);
    expect(compensationRequests(gateway.crm.requests)).toEqual([]);
    expect(await deliveriesOf(gateway.graphql, orderId, 'COMPENSATION')).toEqual([]);
    const writes = await deliveriesOf(gateway.graphql, orderId, 'WRITE');
    expect(writes.map(({ state }) => state)).toEqual(['DEAD', 'DEAD']);
  });

  it('answers SUCCEEDED with no compensation when every target succeeds', async () => {
    const gateway = await start();
    const orderId = orderIdFor('all-succeed');
    const before = await stockAt(gateway.inventory.url, SKU);

    const payload = await placeSaga(gateway.graphql, input(orderId));

    expect(payload.status).toBe('SUCCEEDED');
    expect(payload.inventory).toMatchObject({ __typename: 'StockDeducted', replayed: false });
    expect(payload.crm).toMatchObject({ __typename: 'ActivityLogged', replayed: false });
    expect(payload.compensations).toEqual([]);
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(before - 2);
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).toEqual([activityIdOf(payload)]);
    expect(compensationRequests(gateway.inventory.requests)).toEqual([]);
    expect(compensationRequests(gateway.crm.requests)).toEqual([]);
    const writes = await deliveriesOf(gateway.graphql, orderId);
    expect(writes.map(({ kind, state }) => `${kind} ${state}`)).toEqual([
      'WRITE DELIVERED',
      'WRITE DELIVERED',
    ]);
  });
});

describe('ALL_OR_NOTHING when the undo or the write cannot finish inside the request', () => {
  it('answers ROLLBACK_PENDING while the restore fails, then delivers it once Inventory recovers: the subscriber sees DELIVERED and the stock is restored once', async () => {
    const gateway = await start({
      // Many short steps: the worker keeps trying for far longer than the test needs.
      DELIVERY_COMPENSATION_RETRY_SCHEDULE: ['0s', ...Array<string>(40).fill('500ms')].join(','),
      // The failed restores open Inventory's circuit; it lets a probe through soon after recovery.
      INVENTORY_BREAKER_HALF_OPEN_AFTER_MS: '200',
    });
    const orderId = orderIdFor('restore-down');
    const before = await stockAt(gateway.inventory.url, SKU);
    // The first restore is applied but answered 500 (the client never hears it worked); every later one gets 503.
    await queueFaults(gateway.inventory.url, ['/inventory/restore'], {
      kind: 'status',
      status: 500,
      afterApply: true,
    });
    await setFaults(gateway.inventory.url, {
      paths: ['/inventory/restore'],
      failure: { kind: 'status', status: 503 },
    });

    const payload = await placeSaga(gateway.graphql, input(orderId, { customerId: UNKNOWN_CUSTOMER }));

    expect(payload.status).toBe('ROLLBACK_PENDING');
    expect(payload.inventory).toMatchObject({ __typename: 'StockDeducted' });
    expect(payload.crm).toMatchObject({ __typename: 'UpstreamRejected', httpStatus: 404 });
    const pending = compensationOf(payload, 'INVENTORY');
    expect(pending).toMatchObject({
      state: 'PENDING',
      deliveryId: expect.stringMatching(/^dlv_/),
      attempts: 1,
      lastFailure: expect.stringContaining('503'),
      writeWasApplied: null,
    });
    expect(payload.compensations).toHaveLength(1);

    const subscriber = await subscribeToDelivery(gateway.url, pending.deliveryId);
    cleanups.push(() => subscriber.dispose());
    // "For a while": Inventory stays down until the worker has failed the restore again at least once.
    await waitUntil(
      () => subscriber.updates.some((update) => update.attempts >= 2 && update.state === 'QUEUED'),
      'the subscriber saw a worker attempt fail',
    );
    await clearFaults(gateway.inventory.url);
    await waitUntil(
      () => subscriber.updates.some((update) => update.state === 'DELIVERED'),
      'the subscriber saw the restore DELIVERED',
    );
    expect(subscriber.errors).toEqual([]);
    const delivered = subscriber.updates.find((update) => update.state === 'DELIVERED');
    expect(delivered).toMatchObject({ id: pending.deliveryId, kind: 'COMPENSATION', target: 'INVENTORY' });

    expect(await stockAt(gateway.inventory.url, SKU)).toBe(before);
    const restores = restoresOf(gateway.inventory.requests, deductionIdOf(payload));
    expect(restores.length).toBeGreaterThan(3);
    const keys = new Set(restores.map(({ headers }) => headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toEqual(expect.any(String));
    expect(await deliveryById(gateway.graphql, pending.deliveryId)).toMatchObject({ state: 'DELIVERED' });
  });

  it.each([
    {
      how: 'the hung request was applied before it hung',
      faults: [{ kind: 'hang', afterApply: true }] as const,
      writeWasApplied: true,
    },
    { how: 'the hung request was never applied', faults: [{ kind: 'hang' }] as const, writeWasApplied: true },
    {
      how: 'the hung request was never applied and the resend is rejected',
      faults: [{ kind: 'hang' }, { kind: 'status', status: 422 }] as const,
      writeWasApplied: false,
    },
  ])(
    'resolves a CRM write that timed out by resending it with its key, then undoes both targets: $how',
    async ({ faults, writeWasApplied }) => {
      const gateway = await start();
      const orderId = orderIdFor('crm-hangs');
      const before = await stockAt(gateway.inventory.url, SKU);
      await queueFaults(gateway.crm.url, ['/crm/log_activity'], ...faults);

      // The deadline only has to outlast Inventory's answer: CRM hangs until it passes, however long.
      const options = allOrNothing({ deadlineMs: 1000 });
      const payload = await placeSaga(gateway.graphql, input(orderId), options);

      expect(payload.inventory).toMatchObject({ __typename: 'StockDeducted' });
      expect(payload.crm).toMatchObject({ __typename: 'UpstreamTimeout', attempts: 1 });
      // Resolved inside the request when the upstream answers the resend; the worker finishes it otherwise.
      expect(['ROLLED_BACK', 'ROLLBACK_PENDING']).toContain(payload.status);
      expect(payload.compensations.map(({ target }) => target).sort()).toEqual(['CRM', 'INVENTORY']);
      const compensations = async () => deliveriesOf(gateway.graphql, orderId, 'COMPENSATION');
      await waitUntil(
        async () => (await compensations()).filter(({ state }) => state === 'DELIVERED').length === 2,
        'both compensations DELIVERED',
      );
      // The saga's final state, read back by repeating the order (nothing is sent again).
      const final = await placeSaga(gateway.graphql, input(orderId), options);
      expect(final.status).toBe('ROLLED_BACK');
      expect(compensationOf(final, 'INVENTORY')).toMatchObject({
        state: 'COMPENSATED',
        writeWasApplied: true,
      });
      expect(compensationOf(final, 'CRM')).toMatchObject({ state: 'COMPENSATED', writeWasApplied });

      // The upstreams' real state agrees: no activity, the stock back, the write resent with its own key.
      expect(await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).toEqual([]);
      expect(await stockAt(gateway.inventory.url, SKU)).toBe(before);
      const sent = writesFor(gateway.crm.requests, orderId);
      expect(sent).toHaveLength(2);
      expect(new Set(sent.map(({ headers }) => headers['idempotency-key'])).size).toBe(1);
      const deletes = compensationRequests(gateway.crm.requests);
      expect(deletes).toHaveLength(writeWasApplied ? 1 : 0);
    },
  );

  it('SYNC_OR_QUEUE: queues the CRM write while CRM answers 503, then rolls Inventory back automatically once CRM rejects it for good', async () => {
    const gateway = await start({
      DELIVERY_RETRY_SCHEDULE: ['0s', ...Array<string>(40).fill('200ms')].join(','),
      CRM_BREAKER_HALF_OPEN_AFTER_MS: '200',
    });
    const orderId = orderIdFor('queued-then-rejected');
    const before = await stockAt(gateway.inventory.url, SKU);
    await setFaults(gateway.crm.url, {
      paths: ['/crm/log_activity'],
      failure: { kind: 'status', status: 503 },
    });
    const options = allOrNothing({ delivery: 'SYNC_OR_QUEUE', deadlineMs: 1500, idempotencyKey: orderId });

    const payload = await placeSaga(gateway.graphql, input(orderId), options);

    expect(payload.status).toBe('ACCEPTED');
    expect(payload.inventory).toMatchObject({ __typename: 'StockDeducted' });
    expect(payload.crm).toMatchObject({
      __typename: 'DeliveryQueued',
      deliveryId: expect.stringMatching(/^dlv_/),
      lastFailure: expect.stringContaining('503'),
    });
    expect(payload.compensations).toEqual([]);
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(before - 2);

    // CRM now refuses the queued write for good: the next attempt gets a 422 (queued faults come first).
    await enqueueFaults(gateway.crm.url, { kind: 'status', status: 422 });
    const restored = async () =>
      (await deliveriesOf(gateway.graphql, orderId, 'COMPENSATION')).some(
        ({ target, state }) => target === 'INVENTORY' && state === 'DELIVERED',
      );
    await waitUntil(restored, 'the Inventory compensation DELIVERED');

    expect(await stockAt(gateway.inventory.url, SKU)).toBe(before);
    expect(await deliveryById(gateway.graphql, String(payload.crm.deliveryId))).toMatchObject({
      kind: 'WRITE',
      state: 'DEAD',
      lastFailure: expect.stringContaining('422'),
    });
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).toEqual([]);
    expect(compensationRequests(gateway.crm.requests)).toEqual([]);
    const now = await placeSaga(gateway.graphql, input(orderId), options);
    expect(now.status).toBe('ROLLED_BACK');
    expect(now.compensations).toEqual([
      expect.objectContaining({ target: 'INVENTORY', state: 'COMPENSATED', writeWasApplied: true }),
    ]);
  });
});

describe('ALL_OR_NOTHING across orders, repeats and a lost queue', () => {
  it('placeOrders rolls back the order that failed and keeps the one that succeeded, each with its own payload', async () => {
    const gateway = await start();
    const failing = orderIdFor('batch-fails');
    const succeeding = orderIdFor('batch-succeeds');
    const before = await stockAt(gateway.inventory.url, SKU);

    const response = await gateway.graphql<{ placeOrders: SagaPayload[] }>(PLACE_SAGAS, {
      inputs: [input(failing, { sku: 'SKU-LIMITED', quantity: 4 }), input(succeeding)],
      options: allOrNothing(),
    });

    expect(response.body.errors).toBeUndefined();
    const [rolledBack, succeeded] = response.body.data?.placeOrders ?? [];
    expect(rolledBack).toMatchObject({
      orderId: failing,
      status: 'ROLLED_BACK',
      inventory: { __typename: 'UpstreamRejected', httpStatus: 409 },
      crm: { __typename: 'ActivityLogged' },
      compensations: [{ target: 'CRM', state: 'COMPENSATED', writeWasApplied: true }],
    });
    expect(succeeded).toMatchObject({
      orderId: succeeding,
      status: 'SUCCEEDED',
      inventory: { __typename: 'StockDeducted' },
      crm: { __typename: 'ActivityLogged' },
      compensations: [],
    });
    if (!rolledBack || !succeeded) throw new Error('two payloads expected');
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', failing)).toEqual([]);
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', succeeding)).toEqual([activityIdOf(succeeded)]);
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(before - 2);
    expect(compensationRequests(gateway.crm.requests).map(({ path }) => path)).toEqual([
      `/crm/activities/${activityIdOf(rolledBack)}`,
    ]);
    expect(compensationRequests(gateway.inventory.requests)).toEqual([]);
  });

  it('answers a repeat of a rolled-back order from its stored saga, sending nothing to either upstream', async () => {
    const gateway = await start();
    const orderId = orderIdFor('repeat');
    const options = allOrNothing({ idempotencyKey: `key-${orderId}` });
    const first = await placeSaga(gateway.graphql, input(orderId, { customerId: UNKNOWN_CUSTOMER }), options);
    expect(first.status).toBe('ROLLED_BACK');
    const writes = await deliveriesOf(gateway.graphql, orderId, 'WRITE');
    const sentBefore = gateway.inventory.requests.length + gateway.crm.requests.length;

    const repeat = await placeSaga(
      gateway.graphql,
      input(orderId, { customerId: UNKNOWN_CUSTOMER }),
      options,
    );

    expect(gateway.inventory.requests.length + gateway.crm.requests.length).toBe(sentBefore);
    expect(repeat.status).toBe('ROLLED_BACK');
    expect(repeat.compensations).toEqual(first.compensations);
    const idOf = (target: string) => writes.find((write) => write.target === target)?.id;
    // The delivered write answers as it did the first time (its stored answer, replayed); the dead one
    // answers with its delivery, whose lastFailure says why.
    expect(repeat.inventory).toMatchObject({
      __typename: 'StockDeducted',
      deductionId: (first.inventory as { deductionId?: string }).deductionId,
    });
    expect(repeat.crm).toMatchObject({ __typename: 'DeliveryQueued', deliveryId: idOf('CRM') });
    expect(idOf('INVENTORY')).toMatch(/^dlv_/);
    expect(idOf('CRM')).toMatch(/^dlv_/);
  });

  it('refuses ALL_OR_NOTHING with DELIVERY_QUEUE_UNAVAILABLE while the Redis queue is down, sending no write, and BEST_EFFORT still works', async () => {
    const redis = await startOwnRedis([]);
    cleanups.push(() => redis.stop());
    const gateway = await start({
      DELIVERY_QUEUE: 'redis',
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: '300',
      FANOUT_WORKER: 'off',
    });
    await redis.stop();
    const refusedId = orderIdFor('queue-down');

    const refused = await gateway.graphql<{ placeOrder: SagaPayload }>(PLACE_SAGA, {
      input: input(refusedId),
      options: allOrNothing(),
    });

    expect(refused.status).toBe(503);
    expect(refused.body.errors?.map((error) => error.extensions?.code)).toEqual([
      'DELIVERY_QUEUE_UNAVAILABLE',
    ]);
    expect(refused.body.data ?? null).toBeNull();
    expect(writesFor(gateway.inventory.requests, refusedId)).toEqual([]);
    expect(writesFor(gateway.crm.requests, refusedId)).toEqual([]);

    const bestEffort = await placeSaga(gateway.graphql, input(orderIdFor('best-effort')), {});
    expect(bestEffort).toMatchObject({ status: 'SUCCEEDED', compensations: [] });
  });
});
