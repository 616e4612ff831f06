// ALL_OR_NOTHING when the undo or the write cannot finish inside the request: ROLLBACK_PENDING, resolved timeouts, a queued write rejected later.
import { describe, expect, it } from 'vitest';
import { clearFaults, enqueueFaults, queueFaults, setFaults } from './support/saga-demo-faults.js';
import { SAGA_SKU as SKU, sagaInput, UNKNOWN_CUSTOMER, useSagaGateways } from './support/saga-gateways.js';
import {
  allOrNothing,
  compensationOf,
  deliveriesOf,
  deliveryById,
  placeSaga,
  type SagaPayload,
} from './support/saga-operations.js';
import { subscribeToDeliveryUpdates } from './support/saga-subscriber.js';
import {
  activityIdsAt,
  compensationRequests,
  restoresOf,
  stockAt,
  writesFor,
} from './support/saga-upstream-reads.js';
import { waitUntil } from './support/wait-until.js';

const { start, onCleanup, orderIdFor } = useSagaGateways('saga');

const deductionIdOf = (payload: SagaPayload) => String(payload.inventory.deductionId);

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

    const payload = await placeSaga(gateway.graphql, sagaInput(orderId, { customerId: UNKNOWN_CUSTOMER }));

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

    const subscriber = await subscribeToDeliveryUpdates(gateway.url, { deliveryId: pending.deliveryId });
    onCleanup(() => subscriber.dispose());
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
      const payload = await placeSaga(gateway.graphql, sagaInput(orderId), options);

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
      const final = await placeSaga(gateway.graphql, sagaInput(orderId), options);
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

    const payload = await placeSaga(gateway.graphql, sagaInput(orderId), options);

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
    const now = await placeSaga(gateway.graphql, sagaInput(orderId), options);
    expect(now.status).toBe('ROLLED_BACK');
    expect(now.compensations).toEqual([
      expect.objectContaining({ target: 'INVENTORY', state: 'COMPENSATED', writeWasApplied: true }),
    ]);
  });
});
