// The typed client example works against a real gateway: what a frontend developer copies must run.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

const EXAMPLE = fileURLToPath(new URL('../examples/client/place-order.ts', import.meta.url));

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
});

it('places an order through Apollo Client with the generated types', async () => {
  running = await startTestGateway();
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', EXAMPLE], {
    env: { PATH: process.env.PATH ?? '', GATEWAY_URL: running.url },
  });

  expect(stdout).toMatch(/^order order-\d+: SUCCEEDED in [\d.]+ ms$/m);
  expect(stdout).toMatch(/inventory: stock deducted \(ded_\w+\): 2× SKU-RED-MUG, \d+ left/);
  expect(stdout).toMatch(/crm: {7}activity logged \(act_\w+\) at \d{4}-/);
  expect(running.inventory.requestCount('/inventory/deduct')).toBe(1);
});
