// Log lines from a real gateway process: one per request and per upstream attempt, and never a secret.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type CrmDemoServer,
  createCrmServer,
  createInventoryServer,
  type InventoryDemoServer,
} from '../src/demo/index.js';
import { order, PLACE_ORDER } from './support/operations.js';
import { type SpawnedGateway, spawnGateway, waitForReady } from './support/spawn-gateway.js';

const SECRETS = {
  inventoryToken: 'inv-token-S3CRET-111',
  crmKey: 'crm-key-S3CRET-222',
  clientKey: 'client-idempotency-S3CRET-333',
  headerKey: 'header-idempotency-S3CRET-444',
  clientAuth: 'Bearer client-bearer-S3CRET-555',
};

let inventory: InventoryDemoServer;
let crm: CrmDemoServer;
let gateway: SpawnedGateway;
let lines: Record<string, unknown>[];

beforeAll(async () => {
  inventory = await createInventoryServer({ token: SECRETS.inventoryToken });
  crm = await createCrmServer({ apiKey: SECRETS.crmKey });
  gateway = spawnGateway({
    INVENTORY_API_URL: inventory.url,
    INVENTORY_API_TOKEN: SECRETS.inventoryToken,
    CRM_API_URL: crm.url,
    CRM_API_KEY: SECRETS.crmKey,
    LOG_LEVEL: 'info',
  });
  const url = await waitForReady(gateway);
  crm.faults.enqueue({ kind: 'status', status: 503 });
  const send = (headers: Record<string, string>, options?: Record<string, unknown>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        query: PLACE_ORDER,
        variables: { input: order(`o-${Math.random()}`), options },
      }),
    });
  await send(
    { 'x-request-id': 'req-logged-1', authorization: SECRETS.clientAuth },
    { idempotencyKey: SECRETS.clientKey },
  );
  await send({
    'x-request-id': 'req-logged-2',
    'idempotency-key': SECRETS.headerKey,
    'x-api-key': SECRETS.crmKey,
  });
  gateway.child.kill('SIGTERM');
  await gateway.exited;
  lines = gateway
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
});
afterAll(async () => {
  await Promise.all([inventory.close(), crm.close()]);
});

it('never writes a credential or an idempotency key to the log', () => {
  const output = gateway.stdout() + gateway.stderr();
  for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret.replace('Bearer ', ''));
  expect(output).not.toContain('fgw_');
});

it('writes one JSON line per request, carrying its request id', () => {
  const completed = lines.filter((line) => line.msg === 'request completed' && line.url === '/graphql');
  expect(completed.map((line) => line.requestId)).toEqual(['req-logged-1', 'req-logged-2']);
  expect(completed[0]).toMatchObject({
    method: 'POST',
    statusCode: 200,
    durationMs: expect.any(Number),
    level: 30,
  });
});

it('writes one line per upstream attempt with target, status, attempt, outcome and duration', () => {
  const attempts = lines.filter(
    (line) => line.msg === 'upstream attempt' && line.requestId === 'req-logged-1',
  );
  const crmAttempts = attempts.filter((line) => line.target === 'crm');
  expect(crmAttempts.map((line) => [line.attempt, line.status, line.outcome])).toEqual([
    [1, 503, 'unavailable'],
    [2, 201, 'success'],
  ]);
  expect(attempts.filter((line) => line.target === 'inventory')).toHaveLength(1);
  expect(attempts.every((line) => typeof line.durationMs === 'number')).toBe(true);
});
