// ALL_OR_NOTHING against Inventory and CRM servers written from the contracts alone, not our demo: the rollback holds there too.
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import {
  type ContractUpstream,
  startContractCrm,
  startContractInventory,
} from './support/saga-contract-upstreams.js';
import { compensationOf, deliveryById, placeSaga } from './support/saga-operations.js';
import { activityIdsAt, compensationRequests, restoresOf, stockAt } from './support/saga-upstream-reads.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

const SKU = 'SKU-INDEPENDENT';
const SCARCE = 'SKU-SCARCE';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The independent upstreams and a gateway whose targets are them (its own demo servers stay unused). */
async function start(): Promise<{
  gateway: TestGateway;
  inventory: ContractUpstream;
  crm: ContractUpstream;
}> {
  const inventory = await startContractInventory({ [SKU]: 50, [SCARCE]: 1 });
  cleanups.push(() => inventory.close());
  const crm = await startContractCrm(['C-100']);
  cleanups.push(() => crm.close());
  const gateway = await startTestGateway({
    inventoryUrl: inventory.url,
    crmUrl: crm.url,
    env: { DELIVERY_POLL_INTERVAL_MS: '20', FANOUT_DEADLINE_MS: '10000' },
  });
  cleanups.push(() => gateway.close());
  return { gateway, inventory, crm };
}

const orderIdFor = (label: string) => `indep-${label}-${randomUUID().slice(0, 8)}`;

it('restores the deduction at an independent Inventory when an independent CRM does not know the customer', async () => {
  const { gateway, inventory, crm } = await start();
  const orderId = orderIdFor('crm-404');
  const before = await stockAt(inventory.url, SKU);

  const payload = await placeSaga(gateway.graphql, {
    orderId,
    customerId: 'C-404',
    items: [{ sku: SKU, quantity: 5 }],
  });

  expect(payload.status).toBe('ROLLED_BACK');
  expect(payload.inventory).toMatchObject({
    __typename: 'StockDeducted',
    deductionId: expect.stringMatching(/^inv-/),
  });
  expect(payload.crm).toMatchObject({
    __typename: 'UpstreamRejected',
    httpStatus: 404,
    code: 'unknown_customer',
  });
  expect(payload.compensations).toEqual([
    expect.objectContaining({ target: 'INVENTORY', state: 'COMPENSATED', writeWasApplied: true }),
  ]);
  expect(await stockAt(inventory.url, SKU)).toBe(before);
  expect(restoresOf(inventory.requests, String(payload.inventory.deductionId))).toHaveLength(1);
  expect(compensationRequests(crm.requests)).toEqual([]);
  const delivery = await deliveryById(gateway.graphql, compensationOf(payload, 'INVENTORY').deliveryId);
  expect(delivery).toMatchObject({ kind: 'COMPENSATION', state: 'DELIVERED' });
  expect(gateway.inventory.requests).toEqual([]);
  expect(gateway.crm.requests).toEqual([]);
});

it('deletes the activity at an independent CRM when an independent Inventory is out of stock', async () => {
  const { gateway, inventory, crm } = await start();
  const orderId = orderIdFor('inventory-409');

  const payload = await placeSaga(gateway.graphql, {
    orderId,
    customerId: 'C-100',
    items: [{ sku: SCARCE, quantity: 2 }],
  });

  expect(payload.status).toBe('ROLLED_BACK');
  expect(payload.inventory).toMatchObject({ __typename: 'UpstreamRejected', httpStatus: 409 });
  expect(payload.crm).toMatchObject({
    __typename: 'ActivityLogged',
    activityId: expect.stringMatching(/^A/),
  });
  expect(payload.compensations).toEqual([
    expect.objectContaining({ target: 'CRM', state: 'COMPENSATED', writeWasApplied: true }),
  ]);
  expect(await activityIdsAt(crm.url, 'C-100', orderId)).toEqual([]);
  expect(compensationRequests(crm.requests).map(({ method, path }) => `${method} ${path}`)).toEqual([
    `DELETE /crm/activities/${String(payload.crm.activityId)}`,
  ]);
  expect(compensationRequests(inventory.requests)).toEqual([]);
  expect(await stockAt(inventory.url, SCARCE)).toBe(1);
});
