// Redis down with DELIVERY_QUEUE=redis: ASYNC is refused with DELIVERY_QUEUE_UNAVAILABLE in bounded time, SYNC keeps writing, readiness says why, and all recovers with Redis.
import { afterEach, expect, it } from 'vitest';
import { startOwnRedis } from './support/own-redis.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const PLACE = /* GraphQL */ `
  mutation Place($input: PlaceOrderInput!, $options: FanoutOptions) {
    placeOrder(input: $input, options: $options) { status inventory { __typename } crm { __typename } }
  }
`;

interface Placed {
  readonly placeOrder: { readonly status: string };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const input = (orderId: string) => ({
  orderId,
  customerId: 'CUST-7',
  items: [{ sku: 'SKU-RED-MUG', quantity: 1 }],
});

it('refuses ASYNC with DELIVERY_QUEUE_UNAVAILABLE while Redis is stopped, keeps SYNC working, reports unready, and recovers', async () => {
  const redis = await startOwnRedis([]);
  cleanups.push(() => redis.stop());
  const gateway: TestGateway = await startTestGateway({
    env: {
      DELIVERY_QUEUE: 'redis',
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: '300',
      FANOUT_WORKER: 'off',
    },
  });
  cleanups.push(() => gateway.close());
  const accepted = await gateway.graphql<Placed>(PLACE, {
    input: input('down-0'),
    options: { delivery: 'ASYNC' },
  });
  expect(accepted.body.data?.placeOrder.status).toBe('ACCEPTED');

  redis.process.kill('SIGSTOP');
  cleanups.push(() => {
    if (redis.process.exitCode === null) redis.process.kill('SIGCONT');
  });
  const refused = await gateway.graphql<Placed>(PLACE, {
    input: input('down-1'),
    options: { delivery: 'ASYNC' },
  });
  expect(refused.status).toBe(503);
  expect(refused.body.errors?.map((error) => error.extensions?.code)).toEqual(['DELIVERY_QUEUE_UNAVAILABLE']);
  expect(
    gateway.inventory.requests.filter(
      (request) => (request.body as { orderId?: string })?.orderId === 'down-1',
    ),
  ).toEqual([]);

  const sync = await gateway.graphql<Placed>(PLACE, { input: input('down-2') });
  expect(sync.body.data?.placeOrder.status).toBe('SUCCEEDED');

  const ready = await fetch(`${gateway.operatorUrl}/readyz`);
  expect(ready.status).toBe(503);
  expect(((await ready.json()) as { reason?: string }).reason).toEqual(expect.any(String));

  redis.process.kill('SIGCONT');
  await waitUntil(async () => (await fetch(`${gateway.operatorUrl}/readyz`)).status === 200, 'ready again');
  const again = await gateway.graphql<Placed>(PLACE, {
    input: input('down-3'),
    options: { delivery: 'ASYNC' },
  });
  expect(again.body.data?.placeOrder.status).toBe('ACCEPTED');
});
