// The circuit breaker per target: opens after repeated failures, sends nothing while open, recovers.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
});

async function placeOrder(gateway: TestGateway, orderId: string) {
  const response = await gateway.graphql<{ placeOrder: Payload }>(PLACE_ORDER, { input: order(orderId) });
  const payload = response.body.data?.placeOrder;
  if (!payload) throw new Error(JSON.stringify(response.body));
  return payload;
}

async function crmCircuit(gateway: TestGateway) {
  const response = await gateway.graphql<{ targets: { target: string; circuit: string }[] }>(
    '{ targets { target circuit } }',
  );
  return response.body.data?.targets.find((target) => target.target === 'CRM')?.circuit;
}

it('opens after the threshold, fails fast with CircuitOpen, then half-opens and closes after recovery', async () => {
  running = await startTestGateway({
    env: { CRM_BREAKER_FAILURES: '3', CRM_BREAKER_HALF_OPEN_AFTER_MS: '400', CRM_MAX_ATTEMPTS: '1' },
  });
  running.crm.faults.set({ failure: { kind: 'status', status: 503 } });

  for (const orderId of ['o-1', 'o-2', 'o-3']) {
    expect((await placeOrder(running, orderId)).crm.__typename).toBe('UpstreamUnavailable');
  }
  expect(await crmCircuit(running)).toBe('OPEN');

  const open = await placeOrder(running, 'o-4');
  expect(open.crm).toMatchObject({ __typename: 'CircuitOpen', target: 'CRM', retryable: true, attempts: 0 });
  expect(open.crm.retryAfterMs).toBeGreaterThan(0);
  expect(open.crm.retryAfterMs).toBeLessThanOrEqual(400);
  expect(open.inventory.__typename).toBe('StockDeducted');
  expect(running.crm.requestCount()).toBe(3);

  running.crm.faults.set({ latencyMs: 300 });
  await sleep(450);
  const probe = placeOrder(running, 'o-5');
  await sleep(100);
  expect(await crmCircuit(running)).toBe('HALF_OPEN');
  expect((await probe).crm.__typename).toBe('ActivityLogged');
  expect(await crmCircuit(running)).toBe('CLOSED');
  expect(running.crm.requestCount()).toBe(4);
});

it('opens again when the half-open probe fails', async () => {
  running = await startTestGateway({
    env: { CRM_BREAKER_FAILURES: '1', CRM_BREAKER_HALF_OPEN_AFTER_MS: '200', CRM_MAX_ATTEMPTS: '1' },
  });
  running.crm.faults.set({ failure: { kind: 'status', status: 500 } });
  await placeOrder(running, 'o-1');
  await sleep(250);

  expect((await placeOrder(running, 'o-2')).crm.__typename).toBe('UpstreamUnavailable');
  expect((await placeOrder(running, 'o-3')).crm.__typename).toBe('CircuitOpen');
  expect(running.crm.requestCount()).toBe(2);
});

it('does not count business rejections towards opening the circuit', async () => {
  running = await startTestGateway({ env: { CRM_BREAKER_FAILURES: '2' }, crm: { customers: [] } });
  for (const orderId of ['o-1', 'o-2', 'o-3']) {
    expect((await placeOrder(running, orderId)).crm).toMatchObject({
      __typename: 'UpstreamRejected',
      httpStatus: 404,
    });
  }
  expect(await crmCircuit(running)).toBe('CLOSED');
});
