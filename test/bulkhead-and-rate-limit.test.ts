// Load limits per target: the bulkhead caps concurrent calls, the token bucket caps calls per second.
import { afterEach, describe, expect, it } from 'vitest';
import { placeOrderPayload } from './support/place-order-payload.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('bulkhead', () => {
  it('fails calls beyond the concurrency limit and its queue fast as UpstreamUnavailable, sending nothing', async () => {
    running = await startTestGateway({
      // Attempt timeout and deadline far beyond the two queued 500 ms calls, so load cannot time them out.
      env: { CRM_BULKHEAD_LIMIT: '1', CRM_BULKHEAD_QUEUE: '1', CRM_TIMEOUT_MS: '10000' },
      crm: { latencyMs: 500 },
    });
    const gateway = running;
    const answeredInOrder: string[] = [];
    const payloads = await Promise.all(
      ['o-1', 'o-2', 'o-3'].map(async (orderId) => {
        const payload = await placeOrderPayload(gateway, orderId, { deadlineMs: 20_000 });
        answeredInOrder.push(orderId);
        return payload;
      }),
    );

    const members = payloads.map((payload) => payload.crm);
    const rejected = payloads.filter((payload) => payload.crm.__typename === 'UpstreamUnavailable');
    expect(members.filter((member) => member.__typename === 'ActivityLogged')).toHaveLength(2);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.crm).toMatchObject({ retryable: true, attempts: 0 });
    expect(rejected[0]?.crm.message).toContain('concurrency limit');
    // Fast: the rejected order was answered before either accepted one, which each wait on the upstream.
    expect(answeredInOrder[0]).toBe(rejected[0]?.orderId);
    expect(running.crm.requestCount()).toBe(2);
  });
});

describe('rate limit', () => {
  it('returns RateLimited without sending when no token comes before the deadline, and waits when one does', async () => {
    // One token a second: o-2 comes well within that second, and its 300 ms deadline ends before the
    // next token while leaving Inventory (which must succeed) room on a loaded machine.
    running = await startTestGateway({ env: { CRM_RATE_LIMIT_RPS: '1', CRM_RATE_LIMIT_BURST: '1' } });
    expect((await placeOrderPayload(running, 'o-1')).crm.__typename).toBe('ActivityLogged');

    const limited = await placeOrderPayload(running, 'o-2', { deadlineMs: 300 });
    expect(limited.crm).toMatchObject({ __typename: 'RateLimited', attempts: 0, retryable: true });
    expect(limited.crm.retryAfterMs).toBeGreaterThan(300);
    expect(limited.crm.message).toContain("gateway's rate limit");
    expect(limited.inventory.__typename).toBe('StockDeducted');

    const waited = await placeOrderPayload(running, 'o-3', { deadlineMs: 10_000 });
    expect(waited.crm.__typename).toBe('ActivityLogged');
    expect(running.crm.requestCount()).toBe(2);
    const [first, second] = running.crm.requests.map((request) => request.receivedAt);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(800);
  });
});
