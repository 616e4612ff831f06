// Log lines from a real gateway process: one per request and per upstream attempt, and never a secret.
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** Private: the JSON lines a stopped gateway wrote to stdout. */
function logLines(gateway: SpawnedGateway): Record<string, unknown>[] {
  return gateway
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Private: posts one placeOrder to the gateway and returns the raw response body. */
async function placeOrder(url: string, headers: Record<string, string>, options?: object): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: PLACE_ORDER, variables: { input: order(`o-${Math.random()}`), options } }),
  });
  return response.text();
}

/** Private: stops the gateway the way an orchestrator would and waits until every line is out. */
async function stop(gateway: SpawnedGateway): Promise<void> {
  gateway.child.kill('SIGTERM');
  await gateway.exited;
}

describe('a gateway serving requests with known secrets', () => {
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
    await placeOrder(
      url,
      { 'x-request-id': 'req-logged-1', authorization: SECRETS.clientAuth },
      { idempotencyKey: SECRETS.clientKey },
    );
    await placeOrder(url, {
      'x-request-id': 'req-logged-2',
      'idempotency-key': SECRETS.headerKey,
      'x-api-key': SECRETS.crmKey,
    });
    await stop(gateway);
    lines = logLines(gateway);
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
});

describe('a gateway refusing a configuration that carries a secret', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'fanout-logging-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('names a malformed REDIS_URL on stderr without printing its password', async () => {
    const gateway = spawnGateway({ REDIS_URL: 'ftp://user:redis-pass-S3CRET-666@cache.internal:6379' });
    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr()).toContain('REDIS_URL');
    expect(gateway.stdout() + gateway.stderr()).not.toContain('S3CRET');
  });

  it('names credentials of the wrong type in FANOUT_CONFIG without printing their values', async () => {
    const file = join(directory, 'fanout.json');
    const targets = {
      inventory: { url: 'http://127.0.0.1:1', token: ['inv-token-S3CRET-777'] },
      crm: { url: 'http://127.0.0.1:1', apiKey: 987_654_321_777 },
    };
    await writeFile(file, JSON.stringify({ targets }));
    const gateway = spawnGateway({ FANOUT_CONFIG: file });
    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr()).toContain('targets.inventory.token');
    expect(gateway.stderr()).toContain('targets.crm.apiKey');
    const output = gateway.stdout() + gateway.stderr();
    expect(output).not.toContain('S3CRET');
    expect(output).not.toContain('987654321777');
  });
});

describe('a gateway whose upstream echoes its credential in an error body', () => {
  const received: string[] = [];
  let crm: Server;
  let inventory: InventoryDemoServer;
  let gateway: SpawnedGateway;
  let body: string;

  beforeAll(async () => {
    // Plays the CRM API with a bad habit: a 401 whose message repeats the key it was sent.
    crm = createServer((request, response) => {
      const key = String(request.headers['x-api-key']);
      received.push(key);
      request.resume();
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'unauthorized', message: `bad key ${key}` }));
    });
    crm.listen(0, '127.0.0.1');
    await once(crm, 'listening');
    inventory = await createInventoryServer({ token: SECRETS.inventoryToken });
    gateway = spawnGateway({
      INVENTORY_API_URL: inventory.url,
      INVENTORY_API_TOKEN: SECRETS.inventoryToken,
      CRM_API_URL: `http://127.0.0.1:${(crm.address() as AddressInfo).port}`,
      CRM_API_KEY: SECRETS.crmKey,
      LOG_LEVEL: 'trace',
      // Spans go to stdout too; the upstream's error text is on the attempt's warn log line.
      OTEL_TRACES_EXPORTER: 'console',
    });
    body = await placeOrder(await waitForReady(gateway), { 'x-request-id': 'req-echo-1' });
    await stop(gateway);
  });
  afterAll(async () => {
    await inventory.close();
    crm.closeAllConnections();
    await new Promise((resolve) => crm.close(resolve));
  });

  it('sent the key, got it echoed back, and logged the rejected attempt', () => {
    expect(received).toContain(SECRETS.crmKey);
    expect(JSON.parse(body)).toMatchObject({
      data: {
        placeOrder: { crm: { __typename: 'UpstreamRejected', httpStatus: 401, code: 'unauthorized' } },
      },
    });
    const attempt = logLines(gateway).find(
      (line) => line.msg === 'upstream attempt' && line.target === 'crm',
    );
    expect(attempt).toMatchObject({ requestId: 'req-echo-1', status: 401, outcome: 'rejected' });
  });

  it('never writes the echoed key to the log or the console spans, even at trace level', () => {
    expect(gateway.stdout()).toContain('bad key [redacted]');
    expect(gateway.stdout() + gateway.stderr()).not.toContain(SECRETS.crmKey);
  });

  it('does not hand the echoed key to the GraphQL client', () => {
    expect(body).not.toContain(SECRETS.crmKey);
    expect(JSON.parse(body).data.placeOrder.crm.message).toBe(
      'CRM API rejected the request (401 unauthorized)',
    );
  });
});
