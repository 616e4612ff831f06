// Per-client limits counted in upstream writes: RATE_LIMITED with HTTP 429 and Retry-After, nothing sent, shared via Redis.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from './support/idempotency-stores.js';
import { order, type Payload, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

const running: TestGateway[] = [];
const redisPrefixes: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.close()));
  await Promise.all(redisPrefixes.splice(0).map(deleteKeys));
});

/** Private: a gateway whose clients may make `writes` upstream writes per 60 s (long: no test waits on it). */
async function gatewayWithLimit(
  writes: number,
  env: Record<string, string> = {},
  crmUrl?: string,
): Promise<TestGateway> {
  const gateway = await startTestGateway({
    env: { CLIENT_RATE_LIMIT_WRITES: String(writes), CLIENT_RATE_LIMIT_WINDOW_S: '60', ...env },
    crmUrl,
  });
  running.push(gateway);
  return gateway;
}

interface RawResponse {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/** Private: POSTs a mutation as `client` (the `apollographql-client-name` header), keeping the status and Retry-After. */
async function send(
  gateway: TestGateway,
  client: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<RawResponse> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollographql-client-name': client },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as RawResponse['body'],
  };
}

function placeOrder(gateway: TestGateway, client: string, orderId: string, idempotencyKey?: string) {
  const options = idempotencyKey ? { idempotencyKey } : undefined;
  return send(gateway, client, PLACE_ORDER, { input: order(orderId), options });
}

function placeOrders(gateway: TestGateway, client: string, orderIds: string[], idempotencyKey?: string) {
  const options = idempotencyKey ? { idempotencyKey } : undefined;
  return send(gateway, client, PLACE_ORDERS, { inputs: orderIds.map((id) => order(id)), options });
}

const upstreamRequests = (gateway: TestGateway) =>
  gateway.inventory.requestCount() + gateway.crm.requestCount();
const codeOf = (response: RawResponse) => response.body.errors?.[0]?.extensions?.code;
const statusOf = (response: RawResponse) => (response.body.data?.placeOrder as Payload | undefined)?.status;

async function rateLimitedCount(gateway: TestGateway, client: string): Promise<number> {
  const metric = gateway.gateway.metrics.registry.getSingleMetric('fanout_client_rate_limited_total');
  const values = (await metric?.get())?.values ?? [];
  return values.find((value) => value.labels.client === client)?.value ?? 0;
}

describe('per-client write limits', () => {
  it('refuses a client over its limit with RATE_LIMITED, HTTP 429 and Retry-After, sending nothing upstream', async () => {
    const gateway = await gatewayWithLimit(4);
    expect(statusOf(await placeOrder(gateway, 'shop', 'o-1'))).toBe('SUCCEEDED');
    expect(statusOf(await placeOrder(gateway, 'shop', 'o-2'))).toBe('SUCCEEDED');
    const before = upstreamRequests(gateway);

    const refused = await placeOrder(gateway, 'shop', 'o-3');

    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    const retryAfterMs = refused.body.errors?.[0]?.extensions?.retryAfterMs as number;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(Number(refused.retryAfter)).toBe(Math.ceil(retryAfterMs / 1000));
    expect(refused.body.errors?.[0]?.extensions).not.toHaveProperty('http');
    expect(upstreamRequests(gateway)).toBe(before);
    expect(await rateLimitedCount(gateway, 'shop')).toBe(1);
  });

  it('charges placeOrders of n orders 2n writes and refuses a batch that would exceed the limit whole', async () => {
    const gateway = await gatewayWithLimit(10);
    expect((await placeOrders(gateway, 'shop', ['b-1', 'b-2', 'b-3'])).status).toBe(200);
    const before = upstreamRequests(gateway);

    const refused = await placeOrders(gateway, 'shop', ['b-4', 'b-5', 'b-6']);
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(upstreamRequests(gateway)).toBe(before);

    // The refused batch cost nothing: 6 + 4 writes fit the 10, and then nothing more does.
    const fits = await placeOrders(gateway, 'shop', ['b-7', 'b-8']);
    expect(fits.status).toBe(200);
    expect(fits.body.errors).toBeUndefined();
    expect(codeOf(await placeOrder(gateway, 'shop', 'b-9'))).toBe('RATE_LIMITED');
  });

  it('refuses a batch larger than a whole window as LIMIT_EXCEEDED, not as a wait', async () => {
    const gateway = await gatewayWithLimit(4);
    const refused = await placeOrders(gateway, 'shop', ['x-1', 'x-2', 'x-3']);

    expect(codeOf(refused)).toBe('LIMIT_EXCEEDED');
    expect(refused.status).not.toBe(429);
    expect(refused.retryAfter).toBeNull();
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('leaves other clients unaffected by one client over its limit', async () => {
    const gateway = await gatewayWithLimit(2);
    await placeOrder(gateway, 'runaway-script', 'r-1');
    expect(codeOf(await placeOrder(gateway, 'runaway-script', 'r-2'))).toBe('RATE_LIMITED');

    const other = await placeOrder(gateway, 'web-shop', 'w-1');
    expect(other.status).toBe(200);
    expect(statusOf(other)).toBe('SUCCEEDED');
    expect(await rateLimitedCount(gateway, 'web-shop')).toBe(0);
  });

  it('replays an idempotency key for free, and a refused keyed run reports RATE_LIMITED and stays retryable', async () => {
    const gateway = await gatewayWithLimit(4);
    const first = await placeOrder(gateway, 'shop', 'k-1', 'key-1');
    expect(statusOf(first)).toBe('SUCCEEDED');

    const refused = await placeOrders(gateway, 'shop', ['k-2', 'k-3'], 'key-2');
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');

    const replay = await placeOrder(gateway, 'shop', 'k-1', 'key-1');
    expect(replay.status).toBe(200);
    expect(replay.body.data).toEqual(first.body.data);

    // Neither the replay nor the refused run was charged: 2 + 2 writes fit the 4.
    const before = upstreamRequests(gateway);
    expect(statusOf(await placeOrder(gateway, 'shop', 'k-4', 'key-4'))).toBe('SUCCEEDED');
    expect(upstreamRequests(gateway)).toBe(before + 2);

    // The refused key is neither stuck nor bound to an error: a repeat runs again (and is refused again).
    const repeat = await placeOrders(gateway, 'shop', ['k-2', 'k-3'], 'key-2');
    expect(repeat.status).toBe(429);
    expect(codeOf(repeat)).toBe('RATE_LIMITED');
  });

  it('charges a retried key only for the targets it sends to again', async () => {
    const crmDown = `http://127.0.0.1:${await closedPort()}`;
    const gateway = await gatewayWithLimit(3, { CRM_MAX_ATTEMPTS: '1' }, crmDown);
    expect(statusOf(await placeOrder(gateway, 'shop', 'p-1', 'key-p'))).toBe('PARTIALLY_SUCCEEDED');

    // Inventory succeeded and is kept; only CRM is called again: 2 + 1 writes fit the 3.
    const retried = await placeOrder(gateway, 'shop', 'p-1', 'key-p');
    expect(retried.status).toBe(200);
    expect(statusOf(retried)).toBe('PARTIALLY_SUCCEEDED');
    expect(gateway.inventory.requestCount()).toBe(1);
    expect(codeOf(await placeOrder(gateway, 'shop', 'p-2'))).toBe('RATE_LIMITED');
  });
});

describe('per-client write limits shared through Redis', () => {
  it('shares one client’s budget between two gateway instances', async () => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: redisPrefix() };
    const first = await gatewayWithLimit(4, env);
    const second = await gatewayWithLimit(4, env);

    expect(statusOf(await placeOrder(first, 'shop', 's-1'))).toBe('SUCCEEDED');
    expect(statusOf(await placeOrder(second, 'shop', 's-2'))).toBe('SUCCEEDED');
    const refused = await placeOrder(first, 'shop', 's-3');
    const refusedToo = await placeOrder(second, 'shop', 's-4');

    expect([refused.status, refusedToo.status]).toEqual([429, 429]);
    expect(codeOf(refusedToo)).toBe('RATE_LIMITED');
    expect(upstreamRequests(first) + upstreamRequests(second)).toBe(4);
    expect(statusOf(await placeOrder(second, 'web-shop', 's-5'))).toBe('SUCCEEDED');
  });

  it('keeps limiting, per instance, while Redis is unreachable', async () => {
    const gateway = await gatewayWithLimit(2, {
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_COMMAND_TIMEOUT_MS: '200',
    });

    expect(statusOf(await placeOrder(gateway, 'shop', 'd-1'))).toBe('SUCCEEDED');
    const refused = await placeOrder(gateway, 'shop', 'd-2');
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
  });
});

/** Private: a unique key prefix on the shared Redis, whose keys are deleted after the test. */
function redisPrefix(): string {
  const prefix = `test:${randomUUID()}:`;
  redisPrefixes.push(prefix);
  return prefix;
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  try {
    await redis.connect();
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 1000 }))
      keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
