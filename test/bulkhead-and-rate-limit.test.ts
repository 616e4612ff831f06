// Load limits per target: the bulkhead caps concurrent calls, the token bucket caps calls per second.
import { afterEach, describe, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function placeOrder(gateway: TestGateway, orderId: string, options?: Record<string, unknown>) {
  const startedAt = performance.now();
  const response = await gateway.graphql<{ placeOrder: Payload }>(PLACE_ORDER, {
    input: order(orderId),
    options,
  });
  const payload = response.body.data?.placeOrder;
  if (!payload) throw new Error(JSON.stringify(response.body));
  return { payload, elapsedMs: performance.now() - startedAt };
}

describe('bulkhead', () => {
  it('fails calls beyond the concurrency limit and its queue fast as UpstreamUnavailable, sending nothing', async () => {
    running = await startTestGateway({
      env: { CRM_BULKHEAD_LIMIT: '1', CRM_BULKHEAD_QUEUE: '1' },
      crm: { latencyMs: 300 },
    });
    const gateway = running;
    const results = await Promise.all(['o-1', 'o-2', 'o-3'].map((orderId) => placeOrder(gateway, orderId)));

    const members = results.map(({ payload }) => payload.crm);
    const rejected = members.filter((member) => member.__typename === 'UpstreamUnavailable');
    expect(members.filter((member) => member.__typename === 'ActivityLogged')).toHaveLength(2);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ retryable: true, attempts: 0 });
    expect(rejected[0]?.message).toContain('concurrency limit');
    const fastest = Math.min(...results.map((result) => result.elapsedMs));
    expect(fastest).toBeLessThan(250);
    expect(running.crm.requestCount()).toBe(2);
  });
});

describe('rate limit', () => {
  it('returns RateLimited without sending when no token comes before the deadline, and waits when one does', async () => {
    running = await startTestGateway({ env: { CRM_RATE_LIMIT_RPS: '2', CRM_RATE_LIMIT_BURST: '1' } });
    expect((await placeOrder(running, 'o-1')).payload.crm.__typename).toBe('ActivityLogged');

    const limited = await placeOrder(running, 'o-2', { deadlineMs: 100 });
    expect(limited.payload.crm).toMatchObject({ __typename: 'RateLimited', attempts: 0, retryable: true });
    expect(limited.payload.crm.retryAfterMs).toBeGreaterThan(100);
    expect(limited.payload.crm.message).toContain("gateway's rate limit");
    expect(limited.payload.inventory.__typename).toBe('StockDeducted');

    const waited = await placeOrder(running, 'o-3', { deadlineMs: 2000 });
    expect(waited.payload.crm.__typename).toBe('ActivityLogged');
    expect(running.crm.requestCount()).toBe(2);
    const [first, second] = running.crm.requests.map((request) => request.receivedAt);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(450);
  });
});
