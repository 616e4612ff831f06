// Resilience promises under abuse: hostile deadlines, half-open probes, keyless retries, bounded waits, per-attempt limits.
import { afterEach, describe, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import { placeOrderPayload } from './support/place-order-payload.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function crmCircuit(gateway: TestGateway): Promise<string | undefined> {
  const response = await gateway.graphql<{ targets: { target: string; circuit: string }[] }>(
    '{ targets { target circuit } }',
  );
  return response.body.data?.targets.find((target) => target.target === 'CRM')?.circuit;
}

/** Opens the CRM circuit with one 500 (threshold 1); a cooldown of 1 ms makes the next attempt the probe. */
async function openCrmCircuit(gateway: TestGateway): Promise<void> {
  gateway.crm.faults.enqueue({ kind: 'status', status: 500 });
  expect((await placeOrderPayload(gateway, 'opener')).crm.__typename).toBe('UpstreamUnavailable');
  expect(await crmCircuit(gateway)).toBe('OPEN');
}

describe('the circuit breaker counts only the upstream’s own behaviour', () => {
  it('stays closed when callers’ short deadlines, not the upstream, end the calls', async () => {
    running = await startTestGateway({
      env: { CRM_BREAKER_FAILURES: '2', CRM_MAX_ATTEMPTS: '1' },
      crm: { latencyMs: 400 },
    });
    const gateway = running;
    const cut = await Promise.all(
      ['d-1', 'd-2', 'd-3', 'd-4', 'd-5'].map((orderId) =>
        placeOrderPayload(gateway, orderId, { deadlineMs: 50 }),
      ),
    );
    for (const payload of cut) {
      expect(payload.crm).toMatchObject({ __typename: 'UpstreamTimeout' });
      expect(payload.crm.message).toContain('deadline');
    }
    expect(await crmCircuit(gateway)).toBe('CLOSED');
    expect((await placeOrderPayload(gateway, 'after')).crm.__typename).toBe('ActivityLogged');
  });

  it('stays closed for a flaky upstream whose failures each retry heals', async () => {
    running = await startTestGateway({ env: { CRM_BREAKER_FAILURES: '2', CRM_BACKOFF_INITIAL_MS: '1' } });
    for (const orderId of ['f-1', 'f-2', 'f-3', 'f-4']) {
      running.crm.faults.enqueue({ kind: 'status', status: 503 });
      expect((await placeOrderPayload(running, orderId)).crm).toMatchObject({
        __typename: 'ActivityLogged',
        attempts: 2,
      });
    }
    expect(await crmCircuit(running)).toBe('CLOSED');
  });

  it('opens when the upstream itself does not answer within the attempt timeout', async () => {
    running = await startTestGateway({
      env: { CRM_BREAKER_FAILURES: '2', CRM_MAX_ATTEMPTS: '1', CRM_TIMEOUT_MS: '100' },
      crm: { latencyMs: 400 },
    });
    for (const orderId of ['t-1', 't-2']) {
      const payload = await placeOrderPayload(running, orderId, { deadlineMs: 5000 });
      expect(payload.crm.message).toContain('within its attempt timeout');
    }
    expect(await crmCircuit(running)).toBe('OPEN');
  });

  it('refuses a deadlineMs under 50 as BAD_USER_INPUT, sending nothing', async () => {
    running = await startTestGateway();
    const response = await running.graphql(PLACE_ORDER, { input: order('tiny'), options: { deadlineMs: 1 } });

    expect(response.body.errors?.[0]).toMatchObject({
      message: 'options.deadlineMs: must be at least 50',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(running.inventory.requestCount() + running.crm.requestCount()).toBe(0);
  });

  it('answers callers at once with CircuitOpen while the half-open probe is out, instead of making them wait', async () => {
    running = await startTestGateway({
      env: {
        CRM_BREAKER_FAILURES: '1',
        CRM_BREAKER_HALF_OPEN_AFTER_MS: '1',
        CRM_MAX_ATTEMPTS: '1',
        CRM_TIMEOUT_MS: '5000',
      },
    });
    const gateway = running;
    await openCrmCircuit(gateway);
    gateway.crm.faults.set({ latencyMs: 1500 });
    const before = gateway.crm.requestCount();
    const settled: string[] = [];
    const probe = placeOrderPayload(gateway, 'probe', { deadlineMs: 10_000 }).then((payload) => {
      settled.push('probe');
      return payload;
    });
    await waitUntil(() => gateway.crm.requestCount() > before, 'the probe reached the CRM API');

    const waiting = await placeOrderPayload(gateway, 'during-probe', { deadlineMs: 10_000 });
    settled.push('during-probe');
    expect(waiting.crm).toMatchObject({ __typename: 'CircuitOpen', attempts: 0, retryable: true });
    expect(waiting.crm.message).toContain('a probe call is testing whether it recovered');
    expect((await probe).crm.__typename).toBe('ActivityLogged');
    expect(settled).toEqual(['during-probe', 'probe']);
    expect(await crmCircuit(gateway)).toBe('CLOSED');
  });

  it('neither closes nor re-opens the circuit when the probe is cut short by its caller’s deadline', async () => {
    running = await startTestGateway({
      env: {
        CRM_BREAKER_FAILURES: '1',
        CRM_BREAKER_HALF_OPEN_AFTER_MS: '1',
        CRM_MAX_ATTEMPTS: '1',
        CRM_TIMEOUT_MS: '3000',
      },
    });
    await openCrmCircuit(running);
    running.crm.faults.set({ latencyMs: 1500 });

    const cut = await placeOrderPayload(running, 'short-probe', { deadlineMs: 300 });
    expect(cut.crm.__typename).toBe('UpstreamTimeout');
    expect(await crmCircuit(running)).toBe('HALF_OPEN');

    expect((await placeOrderPayload(running, 'real-probe', { deadlineMs: 5000 })).crm.__typename).toBe(
      'ActivityLogged',
    );
    expect(await crmCircuit(running)).toBe('CLOSED');
  });
});

describe('writes without an idempotency key are resent only when they provably did not arrive', () => {
  const keyless = { CRM_IDEMPOTENCY_KEYS: 'false', CRM_BACKOFF_INITIAL_MS: '1', CRM_TIMEOUT_MS: '300' };

  it.each([500, 502, 504, 408])(
    'does not resend after a %i, which may have applied the write',
    async (status) => {
      running = await startTestGateway({ env: keyless });
      running.crm.faults.enqueue({ kind: 'status', status, afterApply: true });
      const payload = await placeOrderPayload(running, `s-${status}`);

      expect(payload.crm).toMatchObject({
        __typename: 'UpstreamUnavailable',
        httpStatus: status,
        retryable: false,
      });
      expect(payload.crm.attempts).toBe(1);
      expect(running.crm.requestCount()).toBe(1);
    },
  );

  it('does not resend after an attempt timeout', async () => {
    running = await startTestGateway({ env: keyless });
    running.crm.faults.enqueue({ kind: 'hang' });
    const payload = await placeOrderPayload(running, 'hung', { deadlineMs: 5000 });

    expect(payload.crm).toMatchObject({ __typename: 'UpstreamTimeout', retryable: false, attempts: 1 });
    expect(running.crm.requestCount()).toBe(1);
  });

  it.each([503, 429])('resends after a %i, which the contracts say applied nothing', async (status) => {
    running = await startTestGateway({ env: keyless });
    running.crm.faults.enqueue({ kind: 'status', status, retryAfter: '0' });
    const payload = await placeOrderPayload(running, `r-${status}`);

    expect(payload.crm).toMatchObject({ __typename: 'ActivityLogged', attempts: 2 });
    expect(running.crm.requestCount()).toBe(2);
  });

  it('does not resend a keyless batch after a 500, and does after a 503', async () => {
    running = await startTestGateway({ env: keyless });
    const inputs = [order('b-1'), order('b-2')];
    running.crm.faults.enqueue({ kind: 'status', status: 500 });
    const after500 = await running.graphql<{ placeOrders: Payload[] }>(PLACE_ORDERS, { inputs });
    expect(after500.body.data?.placeOrders.map((payload) => payload.crm)).toMatchObject([
      { __typename: 'UpstreamUnavailable', retryable: false, attempts: 1 },
      { __typename: 'UpstreamUnavailable', retryable: false, attempts: 1 },
    ]);
    expect(running.crm.requestCount('/crm/log_activity/batch')).toBe(1);

    running.crm.faults.enqueue({ kind: 'status', status: 503 });
    const after503 = await running.graphql<{ placeOrders: Payload[] }>(PLACE_ORDERS, {
      inputs: [order('b-3'), order('b-4')],
    });
    expect(after503.body.data?.placeOrders.map((payload) => payload.crm.__typename)).toEqual([
      'ActivityLogged',
      'ActivityLogged',
    ]);
    expect(running.crm.requestCount('/crm/log_activity/batch')).toBe(3);
  });
});

describe('every wait is bounded by the deadline', () => {
  it('answers a call queued behind a slow upstream in the 1-slot bulkhead at its deadline, not when the slot frees', async () => {
    running = await startTestGateway({
      env: {
        CRM_BULKHEAD_LIMIT: '1',
        CRM_BULKHEAD_QUEUE: '4',
        CRM_MAX_ATTEMPTS: '1',
        CRM_TIMEOUT_MS: '5000',
      },
      crm: { latencyMs: 2000 },
    });
    const gateway = running;
    const settled: string[] = [];
    const holder = placeOrderPayload(gateway, 'holder', { deadlineMs: 10_000 }).then((payload) => {
      settled.push('holder');
      return payload;
    });
    await waitUntil(() => gateway.crm.requestCount() === 1, 'the first call holds the only slot');

    const queued = await placeOrderPayload(gateway, 'queued', { deadlineMs: 500 });
    settled.push('queued');
    expect(queued.crm).toMatchObject({ __typename: 'UpstreamTimeout', attempts: 0 });
    expect(queued.crm.message).toContain('while waiting for a free slot');
    expect((await holder).crm.__typename).toBe('ActivityLogged');
    expect(settled).toEqual(['queued', 'holder']);
    expect(gateway.crm.requestCount()).toBe(1);
  });

  it('makes one deadline, counted from the start of the operation, bound every call the operation makes', async () => {
    // One write root field per operation (see operation-limits.test.ts), so the calls that share the
    // deadline are one placeOrders' serial single calls: CRM without batching, one call at a time.
    running = await startTestGateway({ env: { CRM_BATCH_ENABLED: 'false', CRM_CONCURRENCY: '1' } });
    running.crm.faults.set({ failure: { kind: 'hang' } });
    const response = await running.graphql<{ placeOrders: Payload[] }>(PLACE_ORDERS, {
      inputs: [order('serial-1'), order('serial-2'), order('serial-3')],
      options: { deadlineMs: 500 },
    });
    const payloads = response.body.data?.placeOrders ?? [];

    expect(payloads).toHaveLength(3);
    expect(payloads[0]?.crm).toMatchObject({ __typename: 'UpstreamTimeout', attempts: 1 });
    // The first call used the whole deadline; the others found it passed and sent nothing.
    for (const payload of payloads.slice(1)) {
      expect(payload.crm).toMatchObject({ __typename: 'UpstreamTimeout', attempts: 0 });
    }
    expect(running.crm.requestCount()).toBe(1);
  });
});

describe('the gateway’s own rate limit', () => {
  it('takes a token for every attempt, so a retry cannot slip past the limit', async () => {
    running = await startTestGateway({
      env: { CRM_RATE_LIMIT_RPS: '1', CRM_RATE_LIMIT_BURST: '1', CRM_BACKOFF_INITIAL_MS: '1' },
    });
    running.crm.faults.enqueue({ kind: 'status', status: 503 });
    const payload = await placeOrderPayload(running, 'limited-retry', { deadlineMs: 500 });

    // The retry needed a second token, a second away: past the deadline, so it was not sent.
    expect(payload.crm).toMatchObject({ __typename: 'UpstreamUnavailable', httpStatus: 503, attempts: 1 });
    expect(running.crm.requestCount()).toBe(1);
  });
});
