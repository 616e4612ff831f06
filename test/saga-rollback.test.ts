// ALL_OR_NOTHING on the request path, against the real demo upstreams: what is rolled back, how, and what the client is told; across orders, repeats and a lost queue.
import { describe, expect, it } from 'vitest';
import { startOwnRedis } from './support/own-redis.js';
import { queueFaults } from './support/saga-demo-faults.js';
import { SAGA_SKU as SKU, sagaInput, UNKNOWN_CUSTOMER, useSagaGateways } from './support/saga-gateways.js';
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
import {
  activityIdsAt,
  compensationRequests,
  restoresOf,
  stockAt,
  writesFor,
} from './support/saga-upstream-reads.js';

const { start, onCleanup, orderIdFor } = useSagaGateways('saga');

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

      const payload = await placeSaga(gateway.graphql, sagaInput(orderId, { customerId }));

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

    const payload = await placeSaga(gateway.graphql, sagaInput(orderId, { sku: 'SKU-LIMITED', quantity: 4 }));

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
      sagaInput(orderId, { customerId: UNKNOWN_CUSTOMER, sku: 'SKU-LIMITED', quantity: 4 }),
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

    const payload = await placeSaga(gateway.graphql, sagaInput(orderId));

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

describe('ALL_OR_NOTHING across orders, repeats and a lost queue', () => {
  it('placeOrders rolls back the order that failed and keeps the one that succeeded, each with its own payload', async () => {
    const gateway = await start();
    const failing = orderIdFor('batch-fails');
    const succeeding = orderIdFor('batch-succeeds');
    const before = await stockAt(gateway.inventory.url, SKU);

    const response = await gateway.graphql<{ placeOrders: SagaPayload[] }>(PLACE_SAGAS, {
      inputs: [sagaInput(failing, { sku: 'SKU-LIMITED', quantity: 4 }), sagaInput(succeeding)],
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
    const first = await placeSaga(
      gateway.graphql,
      sagaInput(orderId, { customerId: UNKNOWN_CUSTOMER }),
      options,
    );
    expect(first.status).toBe('ROLLED_BACK');
    const writes = await deliveriesOf(gateway.graphql, orderId, 'WRITE');
    const sentBefore = gateway.inventory.requests.length + gateway.crm.requests.length;

    const repeat = await placeSaga(
      gateway.graphql,
      sagaInput(orderId, { customerId: UNKNOWN_CUSTOMER }),
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
    onCleanup(() => redis.stop());
    const gateway = await start({
      DELIVERY_QUEUE: 'redis',
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: '300',
      FANOUT_WORKER: 'off',
    });
    await redis.stop();
    const refusedId = orderIdFor('queue-down');

    const refused = await gateway.graphql<{ placeOrder: SagaPayload }>(PLACE_SAGA, {
      input: sagaInput(refusedId),
      options: allOrNothing(),
    });

    expect(refused.status).toBe(503);
    expect(refused.body.errors?.map((error) => error.extensions?.code)).toEqual([
      'DELIVERY_QUEUE_UNAVAILABLE',
    ]);
    expect(refused.body.data ?? null).toBeNull();
    expect(writesFor(gateway.inventory.requests, refusedId)).toEqual([]);
    expect(writesFor(gateway.crm.requests, refusedId)).toEqual([]);

    const bestEffort = await placeSaga(gateway.graphql, sagaInput(orderIdFor('best-effort')), {});
    expect(bestEffort).toMatchObject({ status: 'SUCCEEDED', compensations: [] });
  });
});
