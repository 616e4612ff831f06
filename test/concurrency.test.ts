// "Max, not sum": the two targets are called at the same time, so the client waits for the slowest only.
import { afterEach, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
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
  const [inventoryArrival, crmArrival] = [
    running.inventory.requests[1]?.receivedAt,
    running.crm.requests[1]?.receivedAt,
  ];
  expect(Math.abs((inventoryArrival ?? 0) - (crmArrival ?? Number.POSITIVE_INFINITY))).toBeLessThan(100);
});
