// ALL_OR_NOTHING edge cases against real servers: earlier HTTP attempts, operator actions, keyless targets, conflicting repeats, client-facing text, the rollback's deadline.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { compensationsDead, operatorAction } from './support/saga-edge-operator.js';
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
import { activityIdsAt, compensationRequests, stockAt, writesFor } from './support/saga-upstream-reads.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const SKU = 'SKU-SAGA';
const STOCK = { [SKU]: 100, 'SKU-LIMITED': 3 };
/** Not one of the demo CRM's customers: CRM rejects the write with 404, for good. */
const UNKNOWN_CUSTOMER = 'CUST-NOBODY';
/** Spends nothing on an idle machine; a loaded one only waits longer. */
const SLOW_TEST_MS = 60_000;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gateway on its own demo upstreams, its worker polling every 20 ms, a generous default deadline. */
async function start(env: Record<string, string> = {}): Promise<TestGateway> {
  const gateway = await startTestGateway({
    inventory: { stock: STOCK },
    env: { DELIVERY_POLL_INTERVAL_MS: '20', FANOUT_DEADLINE_MS: '10000', ...env },
  });
  cleanups.push(() => gateway.close());
  return gateway;
}

const orderIdFor = (label: string) => `edge-${label}-${randomUUID().slice(0, 8)}`;

function input(orderId: string, overrides: { customerId?: string; sku?: string; quantity?: number } = {}) {
  return {
    orderId,
    customerId: overrides.customerId ?? 'CUST-1',
    items: [{ sku: overrides.sku ?? SKU, quantity: overrides.quantity ?? 2 }],
  };
}

/** A retry schedule that keeps a delivery queued for the whole test after its first attempt. */
const ONE_ATTEMPT_THEN_AN_HOUR = '0s,1h';

/** The order's delivery of `target` and `kind`; throws when there is none. */
function pick(
  deliveries: readonly DeliveryNode[],
  target: DeliveryNode['target'],
  kind: DeliveryNode['kind'],
) {
  const found = deliveries.find((delivery) => delivery.target === target && delivery.kind === kind);
  if (!found) throw new Error(`no ${target} ${kind} in ${JSON.stringify(deliveries)}`);
  return found;
}

/** Waits until the order's deliveries satisfy `condition`, then returns them. */
async function deliveriesWhen(
  gateway: TestGateway,
  orderId: string,
  condition: (deliveries: readonly DeliveryNode[]) => boolean,
  what: string,
): Promise<readonly DeliveryNode[]> {
  let found: readonly DeliveryNode[] = [];
  await waitUntil(async () => {
    found = await deliveriesOf(gateway.graphql, orderId);
    return condition(found);
  }, what);
  return found;
}

const stateOf = (
  deliveries: readonly DeliveryNode[],
  target: DeliveryNode['target'],
  kind: DeliveryNode['kind'],
) => deliveries.find((delivery) => delivery.target === target && delivery.kind === kind)?.state;

describe('ALL_OR_NOTHING undoes what any attempt may have applied', () => {
  it('deletes the CRM activity that the first HTTP attempt of a call applied, though the call ended in 503s', async () => {
    const gateway = await start();
    const orderId = orderIdFor('earlier-attempt');
    gateway.crm.faults.set({ paths: ['/crm/log_activity'] });
    // Applied and answered 500, then two 503s: the call's last word says "not applied", its first did apply.
    gateway.crm.faults.enqueue(
      { kind: 'status', status: 500, afterApply: true },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
    );

    // Inventory fails for good: SKU-LIMITED has 3 units.
    const payload = await placeSaga(gateway.graphql, input(orderId, { sku: 'SKU-LIMITED', quantity: 4 }));

    expect(payload.inventory).toMatchObject({ __typename: 'UpstreamRejected', httpStatus: 409 });
    expect(payload.crm).toMatchObject({ __typename: 'UpstreamUnavailable', httpStatus: 503, attempts: 3 });
    expect(['ROLLED_BACK', 'ROLLBACK_PENDING']).toContain(payload.status);
    expect(payload.compensations.map(({ target }) => target)).toEqual(['CRM']);
    await deliveriesWhen(
      gateway,
      orderId,
      (found) => stateOf(found, 'CRM', 'COMPENSATION') === 'DELIVERED',
      'the CRM compensation is DELIVERED',
    );
    const final = await placeSaga(gateway.graphql, input(orderId, { sku: 'SKU-LIMITED', quantity: 4 }));
    expect(final.status).toBe('ROLLED_BACK');
    expect(compensationOf(final, 'CRM')).toMatchObject({ state: 'COMPENSATED', writeWasApplied: true });

    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).toEqual([]);
    // The resend carried the write's key, so the CRM replayed the first attempt's activity: one delete undid it.
    const sent = writesFor(gateway.crm.requests, orderId);
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map(({ headers }) => headers['idempotency-key'])).size).toBe(1);
    expect(compensationRequests(gateway.crm.requests)).toHaveLength(1);
    expect(await stockAt(gateway.inventory.url, 'SKU-LIMITED')).toBe(3);
  });
});

describe('operator actions on a saga', () => {
  it('refuses to replay the DEAD write of a rolled-back order, while a BEST_EFFORT DEAD write replays', async () => {
    const gateway = await start();
    const orderId = orderIdFor('replay-refused');
    const payload = await placeSaga(gateway.graphql, input(orderId, { customerId: UNKNOWN_CUSTOMER }));
    expect(payload.status).toBe('ROLLED_BACK');
    const deadWrite = pick(await deliveriesOf(gateway.graphql, orderId), 'CRM', 'WRITE');
    expect(deadWrite.state).toBe('DEAD');

    const refused = await operatorAction(gateway.graphql, 'replay', deadWrite.id);

    expect(refused.body.data?.replayDelivery ?? null).toBeNull();
    expect(refused.body.errors).toHaveLength(1);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'DELIVERY_TRANSITION_REFUSED',
      state: 'DEAD',
    });
    expect(refused.body.errors?.[0]?.message).toContain('rolled back');

    // The same kind of DEAD write outside a saga may be replayed.
    const other = orderIdFor('replay-allowed');
    const accepted = await placeSaga(gateway.graphql, input(other, { customerId: UNKNOWN_CUSTOMER }), {
      delivery: 'ASYNC',
    });
    expect(accepted.status).toBe('ACCEPTED');
    const otherWrite = pick(
      await deliveriesWhen(
        gateway,
        other,
        (found) => stateOf(found, 'CRM', 'WRITE') === 'DEAD',
        'the BEST_EFFORT CRM write is DEAD',
      ),
      'CRM',
      'WRITE',
    );
    const allowed = await operatorAction(gateway.graphql, 'replay', otherWrite.id);
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data?.replayDelivery).toMatchObject({ id: otherWrite.id, state: 'QUEUED' });
    // Once the worker has sent the replayed write (and CRM refused it again), the refused one is still as it was.
    await deliveriesWhen(
      gateway,
      other,
      (found) =>
        pick(found, 'CRM', 'WRITE').attempts === otherWrite.attempts + 1 &&
        stateOf(found, 'CRM', 'WRITE') === 'DEAD',
      'the replayed write was sent and is DEAD again',
    );
    expect(await deliveryById(gateway.graphql, deadWrite.id)).toMatchObject({
      state: 'DEAD',
      attempts: deadWrite.attempts,
    });
    expect(writesFor(gateway.crm.requests, orderId)).toHaveLength(1);
  });

  it(
    'rolls an ASYNC order back at once when an operator cancels its queued write: the delivered write is undone, the cancelled one resolved',
    async () => {
      const gateway = await start({
        DELIVERY_RETRY_SCHEDULE: ONE_ATTEMPT_THEN_AN_HOUR,
        CRM_BREAKER_FAILURES: '10000',
      });
      const orderId = orderIdFor('cancel-queued');
      const before = await stockAt(gateway.inventory.url, SKU);
      gateway.crm.faults.set({ paths: ['/crm/log_activity'], failure: { kind: 'status', status: 503 } });
      const options = allOrNothing({ delivery: 'ASYNC', idempotencyKey: `key-${orderId}` });

      const accepted = await placeSaga(gateway.graphql, input(orderId), options);
      expect(accepted.status).toBe('ACCEPTED');
      const waiting = await deliveriesWhen(
        gateway,
        orderId,
        (found) =>
          stateOf(found, 'INVENTORY', 'WRITE') === 'DELIVERED' &&
          stateOf(found, 'CRM', 'WRITE') === 'QUEUED' &&
          pick(found, 'CRM', 'WRITE').attempts > 0,
        'Inventory DELIVERED and the CRM write QUEUED after a failed attempt',
      );
      expect(await stockAt(gateway.inventory.url, SKU)).toBe(before - 2);
      // From now on the CRM rejects the write: the resend that resolves the cancelled write learns it is not applied.
      gateway.crm.faults.reset();
      gateway.crm.faults.set({ paths: ['/crm/log_activity'] });
      gateway.crm.faults.enqueue({ kind: 'status', status: 422 });
      const crmWrite = pick(waiting, 'CRM', 'WRITE');

      const cancelled = await operatorAction(gateway.graphql, 'cancel', crmWrite.id);

      expect(cancelled.body.errors).toBeUndefined();
      expect(cancelled.body.data?.cancelDelivery).toMatchObject({ id: crmWrite.id, state: 'CANCELLED' });
      // At once: both compensations exist before any worker had to notice anything.
      const rollingBack = await deliveriesOf(gateway.graphql, orderId, 'COMPENSATION');
      expect(rollingBack.map(({ target }) => target).sort()).toEqual(['CRM', 'INVENTORY']);

      await deliveriesWhen(
        gateway,
        orderId,
        (found) =>
          stateOf(found, 'INVENTORY', 'COMPENSATION') === 'DELIVERED' &&
          stateOf(found, 'CRM', 'COMPENSATION') === 'DELIVERED',
        'both compensations DELIVERED',
      );
      const final = await placeSaga(gateway.graphql, input(orderId), options);
      expect(final.status).toBe('ROLLED_BACK');
      expect(compensationOf(final, 'INVENTORY')).toMatchObject({
        state: 'COMPENSATED',
        writeWasApplied: true,
      });
      expect(compensationOf(final, 'CRM')).toMatchObject({ state: 'COMPENSATED', writeWasApplied: false });
      expect(await stockAt(gateway.inventory.url, SKU)).toBe(before);
      expect(await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).toEqual([]);
      const sent = writesFor(gateway.crm.requests, orderId);
      expect(sent.length).toBeGreaterThanOrEqual(2);
      expect(new Set(sent.map(({ headers }) => headers['idempotency-key'])).size).toBe(1);
      expect(compensationRequests(gateway.crm.requests)).toEqual([]);
    },
    SLOW_TEST_MS,
  );
});

describe('a target that sends no Idempotency-Key (CRM_IDEMPOTENCY_KEYS=false)', () => {
  it('never resends a CRM write that hung after applying: its resolution goes DEAD for an operator, NEEDS_ATTENTION, the alert counted', async () => {
    const gateway = await start({ CRM_IDEMPOTENCY_KEYS: 'false' });
    const orderId = orderIdFor('keyless-hang');
    const before = await stockAt(gateway.inventory.url, SKU);
    const deadBefore = await compensationsDead(gateway.operatorUrl, 'crm');
    gateway.crm.faults.set({ paths: ['/crm/log_activity'] });
    gateway.crm.faults.enqueue({ kind: 'hang', afterApply: true });
    const options = allOrNothing({ deadlineMs: 1000 });

    const payload = await placeSaga(gateway.graphql, input(orderId), options);

    expect(payload.inventory).toMatchObject({ __typename: 'StockDeducted' });
    expect(payload.crm).toMatchObject({ __typename: 'UpstreamTimeout', attempts: 1 });
    expect(payload.status).toBe('NEEDS_ATTENTION');
    const resolution = compensationOf(payload, 'CRM');
    expect(resolution).toMatchObject({ state: 'FAILED', writeWasApplied: null });
    expect(resolution.lastFailure).toContain('no Idempotency-Key');
    expect(resolution.lastFailure).toContain('check the upstream');
    expect(resolution.lastFailure).toContain('its order stays NEEDS_ATTENTION');
    expect(await deliveryById(gateway.graphql, resolution.deliveryId)).toMatchObject({
      kind: 'COMPENSATION',
      state: 'DEAD',
    });
    await waitUntil(
      async () => (await compensationsDead(gateway.operatorUrl, 'crm')) === deadBefore + 1,
      'the DEAD compensation is counted',
    );

    // Inventory is still undone; the status stays NEEDS_ATTENTION, since the activity remains.
    await deliveriesWhen(
      gateway,
      orderId,
      (found) => stateOf(found, 'INVENTORY', 'COMPENSATION') === 'DELIVERED',
      'the Inventory compensation is DELIVERED',
    );
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(before);
    const repeat = await placeSaga(gateway.graphql, input(orderId), options);
    expect(repeat.status).toBe('NEEDS_ATTENTION');

    const sent = writesFor(gateway.crm.requests, orderId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['idempotency-key']).toBeUndefined();
    expect(compensationRequests(gateway.crm.requests)).toEqual([]);
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).toHaveLength(1);
  });

  it('SYNC_OR_QUEUE (BEST_EFFORT) reports a CRM timeout instead of queueing it, and still queues a CRM 503', async () => {
    const gateway = await start({
      CRM_IDEMPOTENCY_KEYS: 'false',
      DELIVERY_RETRY_SCHEDULE: ['0s', ...Array<string>(40).fill('200ms')].join(','),
      CRM_BREAKER_FAILURES: '10000',
    });
    const options = { delivery: 'SYNC_OR_QUEUE', deadlineMs: 1000 };
    const timedOut = orderIdFor('keyless-timeout');
    gateway.crm.faults.set({ paths: ['/crm/log_activity'] });
    gateway.crm.faults.enqueue({ kind: 'hang' });

    const reported = await placeSaga(gateway.graphql, input(timedOut), options);

    expect(reported.crm).toMatchObject({ __typename: 'UpstreamTimeout' });
    expect(reported.inventory).toMatchObject({ __typename: 'StockDeducted' });
    expect(reported.status).toBe('PARTIALLY_SUCCEEDED');
    expect((await deliveriesOf(gateway.graphql, timedOut)).filter(({ target }) => target === 'CRM')).toEqual(
      [],
    );
    expect(writesFor(gateway.crm.requests, timedOut)).toHaveLength(1);

    const unavailable = orderIdFor('keyless-503');
    gateway.crm.faults.set({ paths: ['/crm/log_activity'], failure: { kind: 'status', status: 503 } });
    const queued = await placeSaga(gateway.graphql, input(unavailable), options);

    expect(queued.status).toBe('ACCEPTED');
    expect(queued.crm).toMatchObject({
      __typename: 'DeliveryQueued',
      deliveryId: expect.stringMatching(/^dlv_/),
      lastFailure: expect.stringContaining('503'),
    });
    // The queued write is delivered once the CRM recovers, exactly once.
    gateway.crm.faults.reset();
    await deliveriesWhen(
      gateway,
      unavailable,
      (found) => stateOf(found, 'CRM', 'WRITE') === 'DELIVERED',
      'the queued CRM write is DELIVERED',
    );
    expect(await activityIdsAt(gateway.crm.url, 'CUST-1', unavailable)).toHaveLength(1);
  });
});

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
    const accepted = await placeSaga(gateway.graphql, input(orderId), { delivery: 'ASYNC' });
    expect(accepted.status).toBe('ACCEPTED');
    const writes = await deliveriesOf(gateway.graphql, orderId);

    await expectConflict(gateway, input(orderId, { quantity: 5 }), { delivery: 'ASYNC' }, orderId);

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
    const first = await placeSaga(gateway.graphql, input(orderId));
    expect(first.status).toBe('SUCCEEDED');
    const stock = await stockAt(gateway.inventory.url, SKU);
    const sentBefore = gateway.inventory.requests.length + gateway.crm.requests.length;

    await expectConflict(gateway, input(orderId, { quantity: 5 }), allOrNothing(), orderId);

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
    expect((await placeSaga(gateway.graphql, input(conflicting), { delivery: 'ASYNC' })).status).toBe(
      'ACCEPTED',
    );

    const refused = await gateway.graphql<{ placeOrders: SagaPayload[] | null }>(PLACE_SAGAS, {
      inputs: [input(conflicting, { quantity: 5 }), input(fresh)],
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
      inputs: [input(fresh)],
      options: { delivery: 'ASYNC' },
    });

    expect(repeat.body.errors).toBeUndefined();
    const [payload] = repeat.body.data?.placeOrders ?? [];
    expect(payload).toMatchObject({
      orderId: fresh,
      status: 'ACCEPTED',
      inventory: { __typename: 'DeliveryQueued', deliveryId: pick(queued, 'INVENTORY', 'WRITE').id },
      crm: { __typename: 'DeliveryQueued', deliveryId: pick(queued, 'CRM', 'WRITE').id },
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
    expect((await placeSaga(gateway.graphql, input(conflicting))).status).toBe('SUCCEEDED');

    const refused = await gateway.graphql<{ placeOrders: SagaPayload[] | null }>(PLACE_SAGAS, {
      inputs: [input(conflicting, { quantity: 5 }), input(fresh)],
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
      inputs: [input(fresh)],
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
    const order = input(orderId, { customerId: UNKNOWN_CUSTOMER });
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
    const crmWrite = pick(await deliveriesOf(gateway.graphql, orderId, 'WRITE'), 'CRM', 'WRITE');
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

    const payload = await placeSaga(gateway.graphql, input(orderId, { customerId: UNKNOWN_CUSTOMER }));

    expect(payload.status).toBe('ROLLBACK_PENDING');
    const pending = compensationOf(payload, 'INVENTORY');
    expect(pending.state).toBe('PENDING');
    expect(pending.lastFailure).toContain('503');
    expect(pending.lastFailure).not.toContain('the upstream said');
    expect(pending.lastFailure).not.toContain(said);
    const delivery = await deliveryById(gateway.graphql, pending.deliveryId);
    expect(delivery?.lastFailure).toContain('503');
    expect(delivery?.lastFailure).toContain(`the upstream said: ${said}`);
    const repeat = await placeSaga(gateway.graphql, input(orderId, { customerId: UNKNOWN_CUSTOMER }));
    expect(compensationOf(repeat, 'INVENTORY').lastFailure).toBe(pending.lastFailure);
  });

  it('answers within its own deadline twice over while the restore hangs: ROLLBACK_PENDING', async () => {
    const gateway = await start({ DELIVERY_COMPENSATION_RETRY_SCHEDULE: ONE_ATTEMPT_THEN_AN_HOUR });
    const orderId = orderIdFor('rollback-deadline');
    gateway.inventory.faults.set({ paths: ['/inventory/restore'], failure: { kind: 'hang' } });

    const startedAt = performance.now();
    const payload = await placeSaga(
      gateway.graphql,
      input(orderId, { customerId: UNKNOWN_CUSTOMER }),
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
