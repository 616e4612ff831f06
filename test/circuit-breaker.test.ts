// The circuit breaker per target: opens after repeated failures, sends nothing while open, recovers.
import { afterEach, expect, it } from 'vitest';
import { placeOrderPayload } from './support/place-order-payload.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
});

async function crmCircuit(gateway: TestGateway) {
  const response = await gateway.graphql<{ targets: { target: string; circuit: string }[] }>(
    '{ targets { target circuit } }',
  );
  return response.body.data?.targets.find((target) => target.target === 'CRM')?.circuit;
}

/** Waits until a cooldown that started at `since` has passed: a lower bound, so a slow machine only waits longer. */
function cooldownPassed(since: number, cooldownMs: number): Promise<void> {
  return waitUntil(() => Date.now() > since + cooldownMs, 'the breaker cooldown has passed');
}

it('opens after the threshold, fails fast with CircuitOpen, then half-opens and closes after recovery', async () => {
  running = await startTestGateway({
    env: {
      CRM_BREAKER_FAILURES: '3',
      CRM_BREAKER_HALF_OPEN_AFTER_MS: '400',
      CRM_MAX_ATTEMPTS: '1',
      CRM_TIMEOUT_MS: '5000',
    },
  });
  const gateway = running;
  gateway.crm.faults.set({ failure: { kind: 'status', status: 503 } });

  for (const orderId of ['o-1', 'o-2', 'o-3']) {
    expect((await placeOrderPayload(gateway, orderId)).crm.__typename).toBe('UpstreamUnavailable');
  }
  const openedAt = Date.now();
  expect(await crmCircuit(gateway)).toBe('OPEN');

  const open = await placeOrderPayload(gateway, 'o-4');
  expect(open.crm).toMatchObject({ __typename: 'CircuitOpen', target: 'CRM', retryable: true, attempts: 0 });
  expect(open.crm.retryAfterMs).toBeGreaterThan(0);
  expect(open.crm.retryAfterMs).toBeLessThanOrEqual(400);
  expect(open.inventory.__typename).toBe('StockDeducted');
  expect(gateway.crm.requestCount()).toBe(3);

  gateway.crm.faults.set({ latencyMs: 1500 });
  await cooldownPassed(openedAt, 400);
  const probe = placeOrderPayload(gateway, 'o-5', { deadlineMs: 10_000 });
  await waitUntil(() => gateway.crm.requestCount() === 4, 'the probe reached the CRM API');
  expect(await crmCircuit(gateway)).toBe('HALF_OPEN');
  expect((await probe).crm.__typename).toBe('ActivityLogged');
  expect(await crmCircuit(gateway)).toBe('CLOSED');
});

it('opens again, for a full cooldown, when the half-open probe fails', async () => {
  running = await startTestGateway({
    env: { CRM_BREAKER_FAILURES: '1', CRM_BREAKER_HALF_OPEN_AFTER_MS: '2000', CRM_MAX_ATTEMPTS: '1' },
  });
  running.crm.faults.set({ failure: { kind: 'status', status: 500 } });
  await placeOrderPayload(running, 'o-1');
  await cooldownPassed(Date.now(), 2000);

  expect((await placeOrderPayload(running, 'o-2')).crm.__typename).toBe('UpstreamUnavailable');
  const reopened = await placeOrderPayload(running, 'o-3');
  expect(reopened.crm).toMatchObject({ __typename: 'CircuitOpen' });
  expect(reopened.crm.retryAfterMs).toBeGreaterThan(0);
  expect(running.crm.requestCount()).toBe(2);
});

it('does not count business rejections towards opening the circuit', async () => {
  running = await startTestGateway({ env: { CRM_BREAKER_FAILURES: '2' }, crm: { customers: [] } });
  for (const orderId of ['o-1', 'o-2', 'o-3']) {
    expect((await placeOrderPayload(running, orderId)).crm).toMatchObject({
      __typename: 'UpstreamRejected',
      httpStatus: 404,
    });
  }
  expect(await crmCircuit(running)).toBe('CLOSED');
});
