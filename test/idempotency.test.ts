// Gateway-level idempotency: a key's completed payload is replayed, duplicates wait, reuse is refused.
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CRM_API_KEY, DEMO_INVENTORY_TOKEN } from '../src/demo/index.js';
import { order, type Payload, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import { spawnGateway, waitForReady } from './support/spawn-gateway.js';
import { postGraphQL, startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const writes = (gateway: TestGateway) => gateway.inventory.requestCount() + gateway.crm.requestCount();

function placeOrder(
  gateway: TestGateway,
  input: Record<string, unknown>,
  key?: string,
  headers?: Record<string, string>,
) {
  return gateway.graphql<{ placeOrder: Payload }>(
    PLACE_ORDER,
    { input, options: key ? { idempotencyKey: key } : undefined },
    headers,
  );
}

describe('idempotency keys', () => {
  it('replays the stored payload for a repeated key without calling any upstream', async () => {
    running = await startTestGateway();
    const first = await placeOrder(running, order('o-1'), 'key-1');
    const second = await placeOrder(running, order('o-1'), 'key-1');

    expect(first.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(second.body.data).toEqual(first.body.data);
    expect(running.inventory.requestCount()).toBe(1);
    expect(running.crm.requestCount()).toBe(1);
  });

  it('says a payload is a replay from the gateway’s store, as the upstreams do: header and extension', async () => {
    running = await startTestGateway();
    const send = () =>
      fetch(running?.url ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'replay-marked' },
        body: JSON.stringify({ query: PLACE_ORDER, variables: { input: order('o-replay') } }),
      });
    const first = await send();
    const second = await send();

    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstBody = (await first.json()) as { extensions?: { idempotentReplay?: boolean } };
    expect(firstBody.extensions?.idempotentReplay).toBeUndefined();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as { extensions?: object }).extensions).toMatchObject({
      idempotentReplay: true,
    });
  });

  it('makes a concurrent duplicate wait for the first request and answers both alike', async () => {
    running = await startTestGateway({ inventory: { latencyMs: 200 }, crm: { latencyMs: 200 } });
    const gateway = running;
    const [a, b] = await Promise.all([
      placeOrder(gateway, order('o-2'), 'key-2'),
      placeOrder(gateway, order('o-2'), 'key-2'),
    ]);

    expect(a.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(b.body.data).toEqual(a.body.data);
    expect(running.inventory.requestCount()).toBe(1);
    expect(running.crm.requestCount()).toBe(1);
  });

  it('refuses the same key with a different input as IDEMPOTENCY_KEY_REUSED, sending nothing', async () => {
    running = await startTestGateway();
    await placeOrder(running, order('o-3'), 'key-3');
    const reused = await placeOrder(
      running,
      order('o-3', { items: [{ sku: 'SKU-RED-MUG', quantity: 2 }] }),
      'key-3',
    );

    expect(reused.body.data).toBeNull();
    expect(reused.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.body.errors?.[0]?.message).toContain('different request');
    expect(writes(running)).toBe(2);
  });

  it('treats the same key on placeOrder and placeOrders as reuse', async () => {
    running = await startTestGateway();
    await placeOrder(running, order('o-4'), 'key-4');
    const batch = await running.graphql(PLACE_ORDERS, {
      inputs: [order('o-4')],
      options: { idempotencyKey: 'key-4' },
    });
    expect(batch.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('accepts the key as an Idempotency-Key HTTP header, and rejects a header that contradicts the option', async () => {
    running = await startTestGateway();
    await placeOrder(running, order('o-5'), undefined, { 'idempotency-key': 'key-5' });
    const repeat = await placeOrder(running, order('o-5'), 'key-5');
    expect(repeat.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(writes(running)).toBe(2);

    const conflict = await placeOrder(running, order('o-6'), 'key-6', { 'idempotency-key': 'other' });
    expect(conflict.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('scopes keys to the client named by apollographql-client-name', async () => {
    running = await startTestGateway();
    await placeOrder(running, order('o-7'), 'shared-key', { 'apollographql-client-name': 'web' });
    const other = await placeOrder(running, order('o-8'), 'shared-key', {
      'apollographql-client-name': 'ios',
    });
    expect(other.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(writes(running)).toBe(4);
  });

  it('re-runs only the targets that did not succeed when a retryable payload is repeated', async () => {
    running = await startTestGateway({
      env: { CRM_MAX_ATTEMPTS: '1' },
      inventory: { stock: { 'SKU-RED-MUG': 5 } },
    });
    running.crm.faults.enqueue({ kind: 'status', status: 503 });
    const first = await placeOrder(running, order('o-9'), 'key-9');
    const repeat = await placeOrder(running, order('o-9'), 'key-9');

    expect(first.body.data?.placeOrder).toMatchObject({
      status: 'PARTIALLY_SUCCEEDED',
      crm: { __typename: 'UpstreamUnavailable', retryable: true },
    });
    const firstInventory = first.body.data?.placeOrder.inventory;
    expect(repeat.body.data?.placeOrder).toMatchObject({
      status: 'SUCCEEDED',
      inventory: { ...firstInventory, replayed: true },
      crm: { __typename: 'ActivityLogged', replayed: false },
    });
    expect(running.inventory.requestCount()).toBe(1);
    expect(running.crm.requestCount()).toBe(2);
    expect(running.inventory.stockOf('SKU-RED-MUG')).toBe(4);
  });

  it('keeps the key bound to its request after a retryable payload: a different request is IDEMPOTENCY_KEY_REUSED', async () => {
    running = await startTestGateway({ env: { CRM_MAX_ATTEMPTS: '1' } });
    running.crm.faults.enqueue({ kind: 'status', status: 503 });
    const first = await placeOrder(running, order('o-bound'), 'bound-key');
    expect(first.body.data?.placeOrder.status).toBe('PARTIALLY_SUCCEEDED');

    const other = await placeOrder(running, order('o-other'), 'bound-key');
    expect(other.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(writes(running)).toBe(2);
  });

  it('gives a duplicate that waited the first run’s retryable payload instead of running the work again', async () => {
    running = await startTestGateway({ env: { CRM_MAX_ATTEMPTS: '1' }, crm: { latencyMs: 300 } });
    running.crm.faults.enqueue({ kind: 'status', status: 503 });
    const gateway = running;
    const [a, b] = await Promise.all([
      placeOrder(gateway, order('o-dup'), 'dup-key'),
      placeOrder(gateway, order('o-dup'), 'dup-key'),
    ]);

    expect(a.body.data?.placeOrder.status).toBe('PARTIALLY_SUCCEEDED');
    expect(b.body.data).toEqual(a.body.data);
    expect(gateway.inventory.requestCount()).toBe(1);
    expect(gateway.crm.requestCount()).toBe(1);
  });

  it('rejects an empty or oversized Idempotency-Key header like the option, instead of sharing it', async () => {
    running = await startTestGateway();
    const empty = await placeOrder(running, order('o-h1'), undefined, { 'idempotency-key': '' });
    const long = await placeOrder(running, order('o-h2'), undefined, { 'idempotency-key': 'k'.repeat(256) });

    expect(empty.body.errors?.[0]).toMatchObject({
      message: 'Idempotency-Key header: must not be empty',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(long.body.errors?.[0]).toMatchObject({
      message: 'Idempotency-Key header: must be at most 255 characters',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(writes(running)).toBe(0);
  });

  it('derives different upstream keys for two clients using the same key and order id, so both orders are applied', async () => {
    running = await startTestGateway({ inventory: { stock: { 'SKU-RED-MUG': 10 } } });
    const web = await placeOrder(running, order('same-order'), 'same-key', {
      'apollographql-client-name': 'web',
    });
    const ios = await placeOrder(running, order('same-order'), 'same-key', {
      'apollographql-client-name': 'ios',
    });
    const keyless = await placeOrder(running, order('same-order'), undefined, {
      'apollographql-client-name': 'android',
    });

    for (const answer of [web, ios, keyless]) {
      expect(answer.body.data?.placeOrder.inventory).toMatchObject({
        __typename: 'StockDeducted',
        replayed: false,
      });
    }
    const keys = running.inventory.requests.map((request) => request.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(3);
    expect(running.inventory.stockOf('SKU-RED-MUG')).toBe(7);
  });

  it('reports an exception inside keyed work as INTERNAL_SERVER_ERROR, logged with the request id, and keeps the key bound', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    running = await startTestGateway({ logger });
    const crm = running.gateway.targets.crm as { send: unknown };
    // A gateway bug, staged: the CRM client throws instead of settling an outcome.
    crm.send = async () => {
      throw new Error('staged bug in the CRM client');
    };
    const broken = await placeOrder(running, order('o-bug'), 'bug-key', { 'x-request-id': 'req-bug-1' });

    expect(broken.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(broken.body.errors?.[0]?.message).not.toContain('idempotency store');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        requestId: 'req-bug-1',
        err: expect.objectContaining({ message: 'staged bug in the CRM client' }),
      }),
    );
    const other = await placeOrder(running, order('o-not-bug'), 'bug-key');
    expect(other.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('idempotency with Redis', () => {
  const redisEnv = () => ({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `test:${randomUUID()}:` });

  it('shares keys between two gateway processes, so each upstream receives one write per order', async () => {
    running = await startTestGateway({ inventory: { latencyMs: 150 }, crm: { latencyMs: 150 } });
    const env = {
      ...redisEnv(),
      INVENTORY_API_URL: running.inventory.url,
      INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
      CRM_API_URL: running.crm.url,
      CRM_API_KEY: DEMO_CRM_API_KEY,
      LOG_LEVEL: 'info',
    };
    const processes = [spawnGateway(env), spawnGateway(env)];
    try {
      const urls = await Promise.all(processes.map((process) => waitForReady(process)));
      const inputs = [order('p-1'), order('p-2')];
      const send = (url: string) =>
        postGraphQL<{ placeOrders: Payload[] }>(url, PLACE_ORDERS, {
          inputs,
          options: { idempotencyKey: 'two-processes' },
        });
      const answers = await Promise.all(urls.flatMap((url) => [send(url), send(url)]));

      for (const answer of answers) expect(answer.body.data).toEqual(answers[0]?.body.data);
      expect(answers[0]?.body.data?.placeOrders.map((payload) => payload.status)).toEqual([
        'SUCCEEDED',
        'SUCCEEDED',
      ]);
      expect(running.inventory.requestCount()).toBe(1);
      expect(running.crm.requestCount()).toBe(1);
      const batch = running.inventory.requests[0]?.body as { requests: unknown[] };
      expect(batch.requests).toHaveLength(2);
    } finally {
      for (const process of processes) process.child.kill('SIGTERM');
      await Promise.all(processes.map((process) => process.exited));
    }
  });

  it('reports not ready and refuses keyed mutations when Redis cannot be reached', async () => {
    running = await startTestGateway({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    const ready = await fetch(`${running.operatorUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ reason: expect.stringContaining('Redis') });
    const publicReady = await fetch(running.url.replace(/\/graphql$/, '/readyz'));
    expect([publicReady.status, await publicReady.json()]).toEqual([503, { status: 'unavailable' }]);

    const keyed = await placeOrder(running, order('o-10'), 'key-10');
    expect(keyed.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_STORE_UNAVAILABLE');
    expect(writes(running)).toBe(0);
    const unkeyed = await placeOrder(running, order('o-11'));
    expect(unkeyed.body.data?.placeOrder.status).toBe('SUCCEEDED');
  });
});
