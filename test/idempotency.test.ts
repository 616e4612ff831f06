// Gateway-level idempotency: a key's completed payload is replayed, duplicates wait, reuse is refused.
import { randomUUID } from 'node:crypto';
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
    expect(second.body).toEqual(first.body);
    expect(running.inventory.requestCount()).toBe(1);
    expect(running.crm.requestCount()).toBe(1);
  });

  it('makes a concurrent duplicate wait for the first request and answers both alike', async () => {
    running = await startTestGateway({ inventory: { latencyMs: 200 }, crm: { latencyMs: 200 } });
    const gateway = running;
    const [a, b] = await Promise.all([
      placeOrder(gateway, order('o-2'), 'key-2'),
      placeOrder(gateway, order('o-2'), 'key-2'),
    ]);

    expect(a.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(b.body).toEqual(a.body);
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

  it('does not store a payload a retry could improve: the repeat runs again and the succeeded target replays upstream', async () => {
    running = await startTestGateway({
      env: { CRM_MAX_ATTEMPTS: '1' },
      inventory: { stock: { 'SKU-RED-MUG': 5 } },
    });
    running.crm.faults.enqueue({ kind: 'status', status: 503 });
    const first = await placeOrder(running, order('o-9'), 'key-9');
    const repeat = await placeOrder(running, order('o-9'), 'key-9');

    expect(first.body.data?.placeOrder).toMatchObject({
      status: 'PARTIALLY_SUCCEEDED',
      crm: { __typename: 'UpstreamUnavailable' },
    });
    expect(repeat.body.data?.placeOrder).toMatchObject({
      status: 'SUCCEEDED',
      inventory: { __typename: 'StockDeducted', replayed: true },
      crm: { __typename: 'ActivityLogged', replayed: false },
    });
    expect(running.inventory.stockOf('SKU-RED-MUG')).toBe(4);
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

      for (const answer of answers) expect(answer.body).toEqual(answers[0]?.body);
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
    const base = running.url.replace(/\/graphql$/, '');
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ reason: expect.stringContaining('Redis') });

    const keyed = await placeOrder(running, order('o-10'), 'key-10');
    expect(keyed.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_STORE_UNAVAILABLE');
    expect(writes(running)).toBe(0);
    const unkeyed = await placeOrder(running, order('o-11'));
    expect(unkeyed.body.data?.placeOrder.status).toBe('SUCCEEDED');
  });
});
