// ALL_OR_NOTHING edge cases against real servers: earlier HTTP attempts, operator actions, keyless targets.
import { describe, expect, it } from 'vitest';
import { deliveriesWhen, pickDelivery, stateOf } from './support/saga-deliveries.js';
import { compensationsDead, operatorAction } from './support/saga-edge-operator.js';
import { SAGA_SKU as SKU, sagaInput, UNKNOWN_CUSTOMER, useSagaGateways } from './support/saga-gateways.js';
import {
  allOrNothing,
  compensationOf,
  deliveriesOf,
  deliveryById,
  placeSaga,
} from './support/saga-operations.js';
import { activityIdsAt, compensationRequests, stockAt, writesFor } from './support/saga-upstream-reads.js';
import { waitUntil } from './support/wait-until.js';

/** Spends nothing on an idle machine; a loaded one only waits longer. */
const SLOW_TEST_MS = 60_000;
/** A retry schedule that keeps a delivery queued for the whole test after its first attempt. */
const ONE_ATTEMPT_THEN_AN_HOUR = '0s,1h';

const { start, orderIdFor } = useSagaGateways('edge');

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
    const payload = await placeSaga(gateway.graphql, sagaInput(orderId, { sku: 'SKU-LIMITED', quantity: 4 }));

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
    const final = await placeSaga(gateway.graphql, sagaInput(orderId, { sku: 'SKU-LIMITED', quantity: 4 }));
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
    const payload = await placeSaga(gateway.graphql, sagaInput(orderId, { customerId: UNKNOWN_CUSTOMER }));
    expect(payload.status).toBe('ROLLED_BACK');
    const deadWrite = pickDelivery(await deliveriesOf(gateway.graphql, orderId), 'CRM', 'WRITE');
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
    const accepted = await placeSaga(gateway.graphql, sagaInput(other, { customerId: UNKNOWN_CUSTOMER }), {
      delivery: 'ASYNC',
    });
    expect(accepted.status).toBe('ACCEPTED');
    const otherWrite = pickDelivery(
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
        pickDelivery(found, 'CRM', 'WRITE').attempts === otherWrite.attempts + 1 &&
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

      const accepted = await placeSaga(gateway.graphql, sagaInput(orderId), options);
      expect(accepted.status).toBe('ACCEPTED');
      const waiting = await deliveriesWhen(
        gateway,
        orderId,
        (found) =>
          stateOf(found, 'INVENTORY', 'WRITE') === 'DELIVERED' &&
          stateOf(found, 'CRM', 'WRITE') === 'QUEUED' &&
          pickDelivery(found, 'CRM', 'WRITE').attempts > 0,
        'Inventory DELIVERED and the CRM write QUEUED after a failed attempt',
      );
      expect(await stockAt(gateway.inventory.url, SKU)).toBe(before - 2);
      // From now on the CRM rejects the write: the resend that resolves the cancelled write learns it is not applied.
      gateway.crm.faults.reset();
      gateway.crm.faults.set({ paths: ['/crm/log_activity'] });
      gateway.crm.faults.enqueue({ kind: 'status', status: 422 });
      const crmWrite = pickDelivery(waiting, 'CRM', 'WRITE');

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
      const final = await placeSaga(gateway.graphql, sagaInput(orderId), options);
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

    const payload = await placeSaga(gateway.graphql, sagaInput(orderId), options);

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
    const repeat = await placeSaga(gateway.graphql, sagaInput(orderId), options);
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

    const reported = await placeSaga(gateway.graphql, sagaInput(timedOut), options);

    expect(reported.crm).toMatchObject({ __typename: 'UpstreamTimeout' });
    expect(reported.inventory).toMatchObject({ __typename: 'StockDeducted' });
    expect(reported.status).toBe('PARTIALLY_SUCCEEDED');
    expect((await deliveriesOf(gateway.graphql, timedOut)).filter(({ target }) => target === 'CRM')).toEqual(
      [],
    );
    expect(writesFor(gateway.crm.requests, timedOut)).toHaveLength(1);

    const unavailable = orderIdFor('keyless-503');
    gateway.crm.faults.set({ paths: ['/crm/log_activity'], failure: { kind: 'status', status: 503 } });
    const queued = await placeSaga(gateway.graphql, sagaInput(unavailable), options);

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
