// Retries against real upstreams: what is retried, when, how long it waits, and that no write is duplicated.
import { afterEach, describe, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function placeOrder(gateway: TestGateway, input = order('o-1'), options?: Record<string, unknown>) {
  const startedAt = performance.now();
  const response = await gateway.graphql<{ placeOrder: Payload }>(PLACE_ORDER, { input, options });
  expect(response.body.errors).toBeUndefined();
  const payload = response.body.data?.placeOrder;
  if (!payload) throw new Error(JSON.stringify(response.body));
  return { payload, elapsedMs: performance.now() - startedAt };
}

const arrivals = (gateway: TestGateway) => gateway.crm.requests.map((request) => request.receivedAt);

// A deadline far beyond what the test needs, so a loaded machine cannot run it out.
const ROOMY_DEADLINE_MS = 10_000;

describe('retries', () => {
  it('retries 503 twice and succeeds on the third attempt', async () => {
    running = await startTestGateway();
    running.crm.faults.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const { payload } = await placeOrder(running, order('o-1'), { deadlineMs: ROOMY_DEADLINE_MS });

    expect(payload.status).toBe('SUCCEEDED');
    expect(payload.crm).toMatchObject({ __typename: 'ActivityLogged', attempts: 3 });
    expect(payload.inventory).toMatchObject({ __typename: 'StockDeducted', attempts: 1 });
    expect(running.crm.requestCount('/crm/log_activity')).toBe(3);
  });

  it('waits the Retry-After of a 429 before the next attempt', async () => {
    running = await startTestGateway();
    running.crm.faults.enqueue({ kind: 'status', status: 429, retryAfter: '1' });
    const { payload } = await placeOrder(running, order('o-2'), { deadlineMs: ROOMY_DEADLINE_MS });

    expect(payload.crm).toMatchObject({ __typename: 'ActivityLogged', attempts: 2 });
    const [first, second] = arrivals(running);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('returns RateLimited at once when Retry-After is longer than the deadline', async () => {
    running = await startTestGateway();
    running.crm.faults.enqueue({ kind: 'status', status: 429, retryAfter: '60' });
    const { payload, elapsedMs } = await placeOrder(running, order('o-3'), { deadlineMs: ROOMY_DEADLINE_MS });

    expect(payload.crm).toMatchObject({
      __typename: 'RateLimited',
      retryAfterMs: 60_000,
      attempts: 1,
      retryable: true,
    });
    // Waiting out the deadline (or any part of the 60 s) would take 10 s; answering at once takes far less.
    expect(elapsedMs).toBeLessThan(ROOMY_DEADLINE_MS / 2);
    expect(running.crm.requestCount()).toBe(1);
  });

  it('never retries a 409 rejection', async () => {
    running = await startTestGateway({ inventory: { stock: { 'SKU-LIMITED': 1 } } });
    const { payload } = await placeOrder(
      running,
      order('o-4', { items: [{ sku: 'SKU-LIMITED', quantity: 2 }] }),
    );

    expect(payload.inventory).toMatchObject({ __typename: 'UpstreamRejected', httpStatus: 409, attempts: 1 });
    expect(running.inventory.requestCount()).toBe(1);
  });

  it('returns UpstreamTimeout at the deadline when the upstream hangs', async () => {
    running = await startTestGateway();
    running.crm.faults.set({ failure: { kind: 'hang' } });
    const { payload, elapsedMs } = await placeOrder(running, order('o-5'), { deadlineMs: 700 });

    expect(payload.status).toBe('PARTIALLY_SUCCEEDED');
    expect(payload.crm).toMatchObject({ __typename: 'UpstreamTimeout', attempts: 1 });
    // The wait was the time left before the deadline, not the 1 s attempt timeout.
    expect(payload.crm.timeoutMs).toBeGreaterThan(0);
    expect(payload.crm.timeoutMs).toBeLessThanOrEqual(700);
    expect(payload.crm.message).toContain("before the request's deadline");
    expect(elapsedMs).toBeGreaterThanOrEqual(650);
    // Only fails if the gateway ignored the deadline and kept waiting on the hung upstream.
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('uses the attempt timeout per attempt and retries a hung attempt within the deadline', async () => {
    running = await startTestGateway({ env: { CRM_TIMEOUT_MS: '200' } });
    running.crm.faults.enqueue({ kind: 'hang' });
    const { payload } = await placeOrder(running, order('o-6'), { deadlineMs: ROOMY_DEADLINE_MS });

    // Under a 10 s deadline, a second attempt at all means the 200 ms attempt timeout ended the first.
    expect(payload.crm).toMatchObject({ __typename: 'ActivityLogged', attempts: 2 });
  });

  it('does not retry a connection reset after send when the upstream takes no idempotency keys', async () => {
    running = await startTestGateway({ env: { CRM_IDEMPOTENCY_KEYS: 'false' } });
    running.crm.faults.enqueue({ kind: 'drop', afterApply: true });
    const { payload } = await placeOrder(running, order('o-7'));

    expect(payload.crm).toMatchObject({ __typename: 'UpstreamUnavailable', retryable: false, attempts: 1 });
    expect(running.crm.requestCount()).toBe(1);
    expect(running.crm.requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('retries a reset after send under the idempotency key, and the upstream applies the order once', async () => {
    running = await startTestGateway({ inventory: { stock: { 'SKU-RED-MUG': 10 } } });
    running.inventory.faults.enqueue({ kind: 'drop', afterApply: true });
    const { payload } = await placeOrder(running, order('o-8'));

    expect(payload.inventory).toMatchObject({ __typename: 'StockDeducted', attempts: 2, replayed: true });
    expect(running.inventory.requestCount()).toBe(2);
    const keys = running.inventory.requests.map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toBe(keys[1]);
    expect(running.inventory.stockOf('SKU-RED-MUG')).toBe(9);
  });

  it('retries a failed batch as a whole when every item carries a key', async () => {
    running = await startTestGateway();
    running.crm.faults.enqueue({ kind: 'status', status: 502 });
    const response = await running.graphql<{ placeOrders: Payload[] }>(PLACE_ORDERS, {
      inputs: [order('b-1'), order('b-2'), order('b-3')],
    });

    const payloads = response.body.data?.placeOrders ?? [];
    expect(payloads.map((payload) => payload.crm.__typename)).toEqual(Array(3).fill('ActivityLogged'));
    expect(payloads.map((payload) => payload.crm.attempts)).toEqual([2, 2, 2]);
    expect(running.crm.requestCount('/crm/log_activity/batch')).toBe(2);
  });
});
