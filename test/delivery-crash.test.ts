// No accepted write is lost or applied twice: 500 ASYNC orders, the gateway killed with SIGKILL mid-delivery, then restarted on the same data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pMap from 'p-map';
import { afterEach, expect, it } from 'vitest';
import { openSqliteDeliveryQueue } from '../src/delivery/index.js';
import {
  type CrmDemoServer,
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
  type InventoryDemoServer,
} from '../src/demo/index.js';
import { sendGraphQL } from './support/send-graphql.js';
import { type SpawnedGateway, spawnGateway, waitForReady } from './support/spawn-gateway.js';
import { waitUntil } from './support/wait-until.js';

const ORDERS = 500;
const SKU = 'SKU-GREEN-TEE';

const PLACE_ASYNC = /* GraphQL */ `
  mutation PlaceAsync($input: PlaceOrderInput!) {
    placeOrder(input: $input, options: { delivery: ASYNC }) { status }
  }
`;

/** Order i goes to its own customer, so the CRM's activities per customer count its writes per order. */
const orderNumber = (index: number) => ({
  orderId: `crash-${index}`,
  customerId: `CUST-${index + 1}`,
  items: [{ sku: SKU, quantity: 1 }],
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startGateway(env: Record<string, string>): Promise<{ gateway: SpawnedGateway; url: string }> {
  const gateway = spawnGateway(env);
  cleanups.push(async () => {
    if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
    await gateway.exited;
  });
  return { gateway, url: await waitForReady(gateway) };
}

it('delivers every one of 500 ASYNC orders to each target exactly once across a kill -9 of the gateway mid-delivery', async () => {
  // Slow upstreams and small batches: delivering everything takes many rounds, so the kill lands mid-run.
  const inventory: InventoryDemoServer = await createInventoryServer({ latencyMs: 40 });
  const crm: CrmDemoServer = await createCrmServer({ latencyMs: 40 });
  cleanups.push(
    () => inventory.close(),
    () => crm.close(),
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'fanout-crash-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = {
    INVENTORY_API_URL: inventory.url,
    INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
    CRM_API_URL: crm.url,
    CRM_API_KEY: DEMO_CRM_API_KEY,
    FANOUT_DATA_DIR: dataDir,
    INVENTORY_MAX_BATCH_SIZE: '5',
    CRM_MAX_BATCH_SIZE: '5',
    // The killed worker's claims come back after a short lease; the restarted one polls often.
    DELIVERY_LEASE_MS: '1000',
    DELIVERY_POLL_INTERVAL_MS: '20',
    CLIENT_RATE_LIMIT_WRITES: '100000',
  };
  const stockBefore = inventory.stockOf(SKU) ?? 0;
  const deducted = () => stockBefore - (inventory.stockOf(SKU) ?? 0);
  const activities = () =>
    Array.from({ length: ORDERS }, (_, index) => crm.activitiesOf(`CUST-${index + 1}`).length);

  const first = await startGateway(env);
  const statuses = await pMap(
    Array.from({ length: ORDERS }, (_, index) => index),
    async (index) => {
      const answer = await sendGraphQL<{ placeOrder: { status: string } }>(first.url, PLACE_ASYNC, {
        input: orderNumber(index),
      });
      return answer.body.data?.placeOrder.status ?? JSON.stringify(answer.body);
    },
    { concurrency: 16 },
  );
  expect(new Set(statuses)).toEqual(new Set(['ACCEPTED']));

  // Mid-delivery: some writes applied, most still queued or in flight.
  await waitUntil(() => deducted() >= 10, 'the worker delivered some orders');
  first.gateway.child.kill('SIGKILL');
  await first.gateway.exited;
  expect(deducted()).toBeLessThan(ORDERS);

  await startGateway(env);
  await waitUntil(
    () => deducted() >= ORDERS && activities().every((count) => count >= 1),
    'every order reached both targets after the restart',
    120_000,
  );

  // Exactly once: stock went down by one unit per order, and each order's customer has one activity.
  expect(deducted()).toBe(ORDERS);
  expect(activities().filter((count) => count !== 1)).toEqual([]);
  const queue = await openSqliteDeliveryQueue({ dataDir });
  cleanups.push(() => queue.close());
  await waitUntil(async () => {
    const stats = await queue.stats();
    return stats.targets.every((target) => target.counts.DELIVERED === ORDERS);
  }, 'every delivery recorded DELIVERED');
});
