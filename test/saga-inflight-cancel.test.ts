// An operator cancels an ALL_OR_NOTHING write while its attempt runs (and applies it): the saga still resolves and undoes it.
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { operatorAction } from './support/saga-edge-operator.js';
import {
  allOrNothing,
  compensationOf,
  type DeliveryNode,
  deliveriesOf,
  placeSaga,
} from './support/saga-operations.js';
import { activityIdsAt, stockAt, writesFor } from './support/saga-upstream-reads.js';
import { startTestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const find = (found: readonly DeliveryNode[], target: string, kind: string) =>
  found.find((delivery) => delivery.target === target && delivery.kind === kind);

it('undoes a CRM write an operator cancelled while its attempt hung after applying it', async () => {
  const gateway = await startTestGateway({
    inventory: { stock: { 'SKU-SAGA': 100 } },
    // One HTTP attempt per call, and a later attempt only in an hour: the cancel lands during the first.
    env: { DELIVERY_POLL_INTERVAL_MS: '20', DELIVERY_RETRY_SCHEDULE: '0s,1h', CRM_MAX_ATTEMPTS: '1' },
  });
  cleanups.push(() => gateway.close());
  const orderId = `edge-inflight-cancel-${randomUUID().slice(0, 8)}`;
  const order = { orderId, customerId: 'CUST-1', items: [{ sku: 'SKU-SAGA', quantity: 2 }] };
  const before = await stockAt(gateway.inventory.url, 'SKU-SAGA');
  gateway.crm.faults.set({ paths: ['/crm/log_activity'] });
  gateway.crm.faults.enqueue({ kind: 'hang', afterApply: true });
  const options = allOrNothing({ delivery: 'ASYNC', idempotencyKey: `key-${orderId}` });
  expect((await placeSaga(gateway.graphql, order, options)).status).toBe('ACCEPTED');
  let crmWriteId = '';
  await waitUntil(async () => {
    const found = await deliveriesOf(gateway.graphql, orderId);
    crmWriteId = find(found, 'CRM', 'WRITE')?.id ?? '';
    return (
      find(found, 'CRM', 'WRITE')?.state === 'IN_FLIGHT' &&
      writesFor(gateway.crm.requests, orderId).length === 1 &&
      find(found, 'INVENTORY', 'WRITE')?.state === 'DELIVERED'
    );
  }, 'the CRM write applied and hanging, the Inventory write DELIVERED');

  const cancel = await operatorAction(gateway.graphql, 'cancel', crmWriteId);
  expect(cancel.body.data?.cancelDelivery).toMatchObject({ state: 'IN_FLIGHT' });

  await waitUntil(async () => {
    const found = await deliveriesOf(gateway.graphql, orderId);
    return (
      find(found, 'CRM', 'WRITE')?.state === 'CANCELLED' &&
      find(found, 'INVENTORY', 'COMPENSATION')?.state === 'DELIVERED'
    );
  }, 'the CRM write CANCELLED when its attempt ended, and the Inventory write undone');
  // The cancelled attempt may have applied the write (it did): the saga must resolve it too.
  const crmCompensation = find(await deliveriesOf(gateway.graphql, orderId), 'CRM', 'COMPENSATION');
  expect(crmCompensation).toBeDefined();
  await waitUntil(
    async () =>
      find(await deliveriesOf(gateway.graphql, orderId), 'CRM', 'COMPENSATION')?.state === 'DELIVERED',
    'the CRM compensation DELIVERED',
  );
  const final = await placeSaga(gateway.graphql, order, options);
  expect(final.status).toBe('ROLLED_BACK');
  expect(compensationOf(final, 'CRM')).toMatchObject({ state: 'COMPENSATED', writeWasApplied: true });
  expect(await activityIdsAt(gateway.crm.url, 'CUST-1', orderId)).toEqual([]);
  expect(await stockAt(gateway.inventory.url, 'SKU-SAGA')).toBe(before);
});
