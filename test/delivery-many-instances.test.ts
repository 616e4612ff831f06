// Many instances on one Redis queue: two gateways that only accept, two workers that deliver, one worker killed with SIGKILL mid-run; every write applied exactly once.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pMap from 'p-map';
import { afterEach, expect, it } from 'vitest';
import {
  type CrmDemoServer,
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
  type InventoryDemoServer,
} from '../src/demo/index.js';
import { deleteRedisKeys } from './support/delete-redis-keys.js';
import { sendGraphQL } from './support/send-graphql.js';
import { spawnGateway, waitForReady } from './support/spawn-gateway.js';
import { waitUntil } from './support/wait-until.js';

const WORKER = fileURLToPath(new URL('../src/worker.ts', import.meta.url));
const REDIS_URL = 'redis://127.0.0.1:6379';
const ORDERS = 500;
const SKU = 'SKU-BLUE-PEN';

const PLACE_ASYNC = /* GraphQL */ `
  mutation PlaceAsync($input: PlaceOrderInput!) {
    placeOrder(input: $input, options: { delivery: ASYNC }) { status }
  }
`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Private: stops a child with SIGKILL if it still runs (after a test, its drain is not under test). */
async function killIfRunning(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exited;
}

/** Private: `npm run worker`'s process itself (node + tsx, no npm in between, so SIGKILL hits the worker). */
function spawnWorker(env: Record<string, string>): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { PATH: process.env.PATH ?? '', METRICS_PORT: '0', LOG_FORMAT: 'json', ...env },
    stdio: 'ignore',
  });
  const exited = once(child, 'exit');
  cleanups.push(() => killIfRunning(child, exited));
  return { child, exited };
}

it('delivers 500 ASYNC orders accepted by two gateways exactly once through two workers on Redis, one of them killed with SIGKILL mid-run', async () => {
  const inventory: InventoryDemoServer = await createInventoryServer({ latencyMs: 40 });
  const crm: CrmDemoServer = await createCrmServer({ latencyMs: 40 });
  cleanups.push(
    () => inventory.close(),
    () => crm.close(),
  );
  const prefix = `fanout-test-${randomUUID()}:`;
  cleanups.push(() => deleteRedisKeys(REDIS_URL, prefix));
  const env = {
    INVENTORY_API_URL: inventory.url,
    INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
    CRM_API_URL: crm.url,
    CRM_API_KEY: DEMO_CRM_API_KEY,
    DELIVERY_QUEUE: 'redis',
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    INVENTORY_MAX_BATCH_SIZE: '5',
    CRM_MAX_BATCH_SIZE: '5',
    DELIVERY_LEASE_MS: '1000',
    DELIVERY_POLL_INTERVAL_MS: '20',
    CLIENT_RATE_LIMIT_WRITES: '100000',
  };
  const gateways = [
    spawnGateway({ ...env, FANOUT_WORKER: 'off' }),
    spawnGateway({ ...env, FANOUT_WORKER: 'off' }),
  ];
  for (const gateway of gateways) {
    cleanups.push(() => killIfRunning(gateway.child, gateway.exited));
  }
  const urls = await Promise.all(gateways.map((gateway) => waitForReady(gateway)));
  const stockBefore = inventory.stockOf(SKU) ?? 0;
  const deducted = () => stockBefore - (inventory.stockOf(SKU) ?? 0);
  const activities = () =>
    Array.from(
      { length: ORDERS },
      (_, index) =>
        crm.activitiesOf(`CUST-${index + 1}`).filter((activity) => activity.orderId === `many-${index}`)
          .length,
    );

  const statuses = await pMap(
    Array.from({ length: ORDERS }, (_, index) => index),
    async (index) => {
      const answer = await sendGraphQL<{ placeOrder: { status: string } }>(
        urls[index % urls.length] ?? '',
        PLACE_ASYNC,
        {
          input: {
            orderId: `many-${index}`,
            customerId: `CUST-${index + 1}`,
            items: [{ sku: SKU, quantity: 1 }],
          },
        },
      );
      return answer.body.data?.placeOrder.status ?? JSON.stringify(answer.body);
    },
    { concurrency: 16 },
  );
  expect(new Set(statuses)).toEqual(new Set(['ACCEPTED']));
  // The gateways only accept: nothing reached an upstream before the workers start.
  expect(deducted()).toBe(0);

  const [doomed] = [spawnWorker(env), spawnWorker(env)];
  await waitUntil(() => deducted() >= 10, 'the workers delivered some orders');
  doomed?.child.kill('SIGKILL');
  await doomed?.exited;
  expect(deducted()).toBeLessThan(ORDERS);

  await waitUntil(
    () => deducted() >= ORDERS && activities().every((count) => count >= 1),
    'every order reached both targets',
    120_000,
  );
  expect(deducted()).toBe(ORDERS);
  expect(activities().filter((count) => count !== 1)).toEqual([]);
});
