// "Max, not sum": the two targets are called at the same time, so the client waits for the slowest only.
import { afterEach, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

it('answers two 300 ms upstreams in under 550 ms because it calls them concurrently', async () => {
  running = await startTestGateway({ inventory: { latencyMs: 300 }, crm: { latencyMs: 300 } });
  // Warm the connection pools so the measurement is about the fan-out, not TCP handshakes.
  await running.graphql(PLACE_ORDER, { input: order('warm-up') });

  const startedAt = performance.now();
  const response = await running.graphql<{ placeOrder: Payload }>(PLACE_ORDER, {
    input: order('o-concurrent'),
  });
  const elapsedMs = performance.now() - startedAt;

  expect(response.body.data?.placeOrder.status).toBe('SUCCEEDED');
  expect(elapsedMs).toBeGreaterThanOrEqual(300);
  expect(elapsedMs).toBeLessThan(550);
  expect(response.body.data?.placeOrder.durationMs).toBeLessThan(550);
  // Each upstream holds a request 300 ms after it arrives, so a request that arrived less than 300 ms
  // after the other one was sent before the other upstream had answered: both were in flight at once.
  const inventoryArrival = running.inventory.requests[1]?.receivedAt ?? Number.NaN;
  const crmArrival = running.crm.requests[1]?.receivedAt ?? Number.NaN;
  expect(crmArrival).toBeLessThan(inventoryArrival + 300);
  expect(inventoryArrival).toBeLessThan(crmArrival + 300);
});
