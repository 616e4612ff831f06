// What ALL_OR_NOTHING tells the client against real servers: repeats with other contents refused, a rolled-back order repeated, no upstream free text, the rollback's deadline.
import { describe, expect, it } from 'vitest';
import { deliveriesWhen, pickDelivery } from './support/saga-deliveries.js';
import { SAGA_SKU as SKU, sagaInput, UNKNOWN_CUSTOMER, useSagaGateways } from './support/saga-gateways.js';
import {
  allOrNothing,
  compensationOf,
  type DeliveryNode,
  deliveriesOf,
  deliveryById,
  PLACE_SAGA,
  PLACE_SAGAS,
  placeSaga,
  type SagaPayload,
} from './support/saga-operations.js';
import { activityIdsAt, stockAt } from './support/saga-upstream-reads.js';
import type { TestGateway } from './support/start-test-gateway.js';

/** A retry schedule that keeps a delivery queued for the whole test after its first attempt. */
const ONE_ATTEMPT_THEN_AN_HOUR = '0s,1h';

const { start, orderIdFor } = useSagaGateways('edge');

describe('a repeat that names a queued order with other contents', () => {
  /** Places `orderInput` and expects the refusal of a conflicting repeat of `orderId`. */
  async function expectConflict(
    gateway: TestGateway,
    orderInput: Record<string, unknown>,
    options: Record<string, unknown>,
    orderId: string,
  ) {
    const response = await gateway.graphql<{ placeOrder: SagaPayload | null }>(PLACE_SAGA, {
      input: orderInput,
      options,
    });
    expect(response.body.data?.placeOrder ?? null).toBeNull();
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      orderIds: [orderId],
    });
  }

  it('refuses an ASYNC (BEST_EFFORT) repeat of an order id with other items and queues nothing new', async () => {
    const gateway = await start();
    const orderId = orderIdFor('async-conflict');
    const before = await stockAt(gateway.inventory.url, SKU);
    const accepted = await placeSaga(gateway.graphql, sagaInput(orderId), { delivery: 'ASYNC' });
    expect(accepted.status).toBe('ACCEPTED');
    const writes = await deliveriesOf(gateway.graphql, orderId);

    await expectConflict(gateway, sagaInput(orderId, { quantity: 5 }), { delivery: 'ASYNC' }, orderId);

    const after = await deliveriesWhen(
      gateway,
      orderId,
      (found) => found.length === 2 && found.every(({ state }) => state === 'DELIVERED'),
      'the first order is DELIVERED',
    );
    expect(after.map(({ id }) => id).sort()).toEqual(writes.map(({ id }) => id).sort());
    // What reached the upstreams is the first order's contents, once.
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(before - 2);
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).toHaveLength(1);
  });

  it('refuses an ALL_OR_NOTHING SYNC repeat of an order id with other items, sending nothing', async () => {
    const gateway = await start();
    const orderId = orderIdFor('sync-conflict');
    const first = await placeSaga(gateway.graphql, sagaInput(orderId));
    expect(first.status).toBe('SUCCEEDED');
    const stock = await stockAt(gateway.inventory.url, SKU);
    const sentBefore = gateway.inventory.requests.length + gateway.crm.requests.length;

    await expectConflict(gateway, sagaInput(orderId, { quantity: 5 }), allOrNothing(), orderId);

    expect(gateway.inventory.requests.length + gateway.crm.requests.length).toBe(sentBefore);
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(stock);
    const writes = await deliveriesOf(gateway.graphql, orderId);
    expect(writes.map(({ kind, state }) => `${kind} ${state}`)).toEqual([
      'WRITE DELIVERED',
      'WRITE DELIVERED',
    ]);
  });

  it('placeOrders (ASYNC) with one conflicting order says the others were queued; repeating them answers the same deliveries', async () => {
    const gateway = await start();
    const conflicting = orderIdFor('batch-conflict');
    const fresh = orderIdFor('batch-fresh');
    const before = await stockAt(gateway.inventory.url, SKU);
    expect((await placeSaga(gateway.graphql, sagaInput(conflicting), { delivery: 'ASYNC' })).status).toBe(
      'ACCEPTED',
    );

    const refused = await gateway.graphql<{ placeOrders: SagaPayload[] | null }>(PLACE_SAGAS, {
      inputs: [sagaInput(conflicting, { quantity: 5 }), sagaInput(fresh)],
      options: { delivery: 'ASYNC' },
    });

    expect(refused.body.data?.placeOrders ?? null).toBeNull();
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      orderIds: [conflicting],
    });
    expect(refused.body.errors?.[0]?.message).toContain("The request's other orders were queued");
    const queued = await deliveriesOf(gateway.graphql, fresh);
    expect(queued.map(({ target }) => target).sort()).toEqual(['CRM', 'INVENTORY']);

    const repeat = await gateway.graphql<{ placeOrders: SagaPayload[] }>(PLACE_SAGAS, {
      inputs: [sagaInput(fresh)],
      options: { delivery: 'ASYNC' },
    });

    expect(repeat.body.errors).toBeUndefined();
    const [payload] = repeat.body.data?.placeOrders ?? [];
    expect(payload).toMatchObject({
      orderId: fresh,
      status: 'ACCEPTED',
      inventory: { __typename: 'DeliveryQueued', deliveryId: pickDelivery(queued, 'INVENTORY', 'WRITE').id },
      crm: { __typename: 'DeliveryQueued', deliveryId: pickDelivery(queued, 'CRM', 'WRITE').id },
    });
    const delivered = (found: readonly DeliveryNode[]) =>
      found.length === 2 && found.every(({ state }) => state === 'DELIVERED');
    await deliveriesWhen(gateway, fresh, delivered, 'the fresh order is DELIVERED');
    await deliveriesWhen(gateway, conflicting, delivered, 'the first order is DELIVERED');
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(before - 4);
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', fresh)).toHaveLength(1);
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', conflicting)).toHaveLength(1);
  });

  it('placeOrders (ALL_OR_NOTHING SYNC) with one conflicting order waits for the others and says they were placed', async () => {
    const gateway = await start();
    const conflicting = orderIdFor('saga-batch-conflict');
    const fresh = orderIdFor('saga-batch-fresh');
    expect((await placeSaga(gateway.graphql, sagaInput(conflicting))).status).toBe('SUCCEEDED');

    const refused = await gateway.graphql<{ placeOrders: SagaPayload[] | null }>(PLACE_SAGAS, {
      inputs: [sagaInput(conflicting, { quantity: 5 }), sagaInput(fresh)],
      options: allOrNothing(),
    });

    expect(refused.body.data?.placeOrders ?? null).toBeNull();
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      orderIds: [conflicting],
    });
    expect(refused.body.errors?.[0]?.message).toContain("The request's other orders were placed");
    // The error came after the fresh order's saga finished: its writes are settled, not in flight.
    const placed = await deliveriesOf(gateway.graphql, fresh);
    expect(placed.map(({ kind, state }) => `${kind} ${state}`)).toEqual([
      'WRITE DELIVERED',
      'WRITE DELIVERED',
    ]);
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', fresh)).toHaveLength(1);

    const repeat = await gateway.graphql<{ placeOrders: SagaPayload[] }>(PLACE_SAGAS, {
      inputs: [sagaInput(fresh)],
      options: allOrNothing(),
    });
    expect(repeat.body.errors).toBeUndefined();
    expect(repeat.body.data?.placeOrders?.[0]).toMatchObject({ orderId: fresh, status: 'SUCCEEDED' });
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', fresh)).toHaveLength(1);
  });
});

describe('what the client is told', () => {
  it('answers a repeat of a rolled-back SYNC order with the delivered write replayed and the compensations, sending nothing', async () => {
    const gateway = await start();
    const orderId = orderIdFor('repeat-rolled-back');
    const order = sagaInput(orderId, { customerId: UNKNOWN_CUSTOMER });
    const first = await placeSaga(gateway.graphql, order);
    expect(first.status).toBe('ROLLED_BACK');
    const sentBefore = gateway.inventory.requests.length + gateway.crm.requests.length;

    const repeat = await placeSaga(gateway.graphql, order);

    expect(gateway.inventory.requests.length + gateway.crm.requests.length).toBe(sentBefore);
    expect(repeat.status).toBe('ROLLED_BACK');
    expect(repeat.inventory).toMatchObject({
      __typename: 'StockDeducted',
      deductionId: first.inventory.deductionId,
      replayed: true,
    });
    const crmWrite = pickDelivery(await deliveriesOf(gateway.graphql, orderId, 'WRITE'), 'CRM', 'WRITE');
    expect(repeat.crm).toMatchObject({
      __typename: 'DeliveryQueued',
      deliveryId: crmWrite.id,
      lastFailure: expect.stringContaining('404'),
    });
    expect(repeat.compensations).toEqual([
      {
        target: 'INVENTORY',
        state: 'COMPENSATED',
        deliveryId: compensationOf(first, 'INVENTORY').deliveryId,
        attempts: 1,
        lastFailure: null,
        writeWasApplied: true,
      },
    ]);
  });

  it("keeps the upstream's free text out of a compensation's lastFailure in the payload, while the operator's delivery view has it", async () => {
    const gateway = await start({ DELIVERY_COMPENSATION_RETRY_SCHEDULE: ONE_ATTEMPT_THEN_AN_HOUR });
    const orderId = orderIdFor('free-text');
    const said = 'restores paused for the nightly stock count';
    gateway.inventory.faults.set({
      paths: ['/inventory/restore'],
      failure: { kind: 'status', status: 503, body: { error: 'maintenance', message: said } },
    });

    const payload = await placeSaga(gateway.graphql, sagaInput(orderId, { customerId: UNKNOWN_CUSTOMER }));

    expect(payload.status).toBe('ROLLBACK_PENDING');
    const pending = compensationOf(payload, 'INVENTORY');
    expect(pending.state).toBe('PENDING');
    expect(pending.lastFailure).toContain('503');
    expect(pending.lastFailure).not.toContain('the upstream said');
    expect(pending.lastFailure).not.toContain(said);
    const delivery = await deliveryById(gateway.graphql, pending.deliveryId);
    expect(delivery?.lastFailure).toContain('503');
    expect(delivery?.lastFailure).toContain(`the upstream said: ${said}`);
    const repeat = await placeSaga(gateway.graphql, sagaInput(orderId, { customerId: UNKNOWN_CUSTOMER }));
    expect(compensationOf(repeat, 'INVENTORY').lastFailure).toBe(pending.lastFailure);
  });

  it('answers within its own deadline twice over while the restore hangs: ROLLBACK_PENDING', async () => {
    const gateway = await start({ DELIVERY_COMPENSATION_RETRY_SCHEDULE: ONE_ATTEMPT_THEN_AN_HOUR });
    const orderId = orderIdFor('rollback-deadline');
    gateway.inventory.faults.set({ paths: ['/inventory/restore'], failure: { kind: 'hang' } });

    const startedAt = performance.now();
    const payload = await placeSaga(
      gateway.graphql,
      sagaInput(orderId, { customerId: UNKNOWN_CUSTOMER }),
      allOrNothing({ deadlineMs: 500 }),
    );
    const tookMs = performance.now() - startedAt;

    expect(payload.status).toBe('ROLLBACK_PENDING');
    expect(compensationOf(payload, 'INVENTORY').state).toBe('PENDING');
    // 2 × 500 ms plus slack; only a generous bound, so a loaded machine does not fail it.
    expect(tookMs).toBeLessThan(5000);
    expect(gateway.inventory.requestCount('/inventory/restore')).toBeGreaterThanOrEqual(1);
  });
});
