// The example clients (Apollo Client and plain fetch) work against a real gateway: what a frontend developer copies must run.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../src/observability/index.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

const APOLLO_EXAMPLE = fileURLToPath(new URL('../examples/client/place-order.ts', import.meta.url));
const FETCH_EXAMPLE = fileURLToPath(new URL('../examples/client/place-order-fetch.ts', import.meta.url));
const MANIFEST = fileURLToPath(
  new URL('../examples/client/__generated__/persisted-documents.json', import.meta.url),
);

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

it('places an order through Apollo Client with the generated types', async () => {
  const log = collectLog();
  running = await startTestGateway({ logger: log.logger });
  const stdout = await runExample(APOLLO_EXAMPLE, running.url);

  expectPlacedOrder(stdout);
  expect(running.inventory.requestCount('/inventory/deduct')).toBe(1);
  // Apollo's APQ did not know the hash: PERSISTED_QUERY_NOT_FOUND, then the manifest's text with it.
  expect(log.graphqlPosts()).toBe(2);
});

it('places an order by its trusted-document hash when the gateway runs only the manifest', async () => {
  const log = collectLog();
  running = await startTestGateway({ logger: log.logger, env: { FANOUT_TRUSTED_DOCUMENTS: MANIFEST } });
  const stdout = await runExample(APOLLO_EXAMPLE, running.url);

  expectPlacedOrder(stdout);
  expect(running.inventory.requestCount('/inventory/deduct')).toBe(1);
  // One request, carrying the hash only: the gateway ran its own copy of the document.
  expect(log.graphqlPosts()).toBe(1);
});

it('places an order over plain fetch with the manifest’s text, which a trusted-documents gateway accepts', async () => {
  const log = collectLog();
  running = await startTestGateway({ logger: log.logger, env: { FANOUT_TRUSTED_DOCUMENTS: MANIFEST } });
  const stdout = await runExample(FETCH_EXAMPLE, running.url);

  expectPlacedOrder(stdout);
  expect(running.inventory.requestCount('/inventory/deduct')).toBe(1);
  expect(log.graphqlPosts()).toBe(1);
});

describe.each([
  { client: 'Apollo Client (InMemoryCache with possibleTypes)', example: APOLLO_EXAMPLE },
  { client: 'plain fetch', example: FETCH_EXAMPLE },
])('through $client', ({ example }) => {
  it('shows a refused order’s message, status and code, and tells the user to change it rather than retry', async () => {
    running = await startTestGateway();
    running.inventory.faults.enqueue({
      kind: 'status',
      status: 409,
      body: { error: 'insufficient_stock', message: 'only 1 left' },
    });
    const stdout = await runExample(example, running.url);

    expect(stdout).toMatch(/^order order-\d+: PARTIALLY_SUCCEEDED in [\d.]+ ms$/m);
    expect(stdout).toContain(
      'inventory: UpstreamRejected (HTTP 409 insufficient_stock; not retryable; 1 attempt): ' +
        'Inventory API rejected the request (409 insufficient_stock)',
    );
    expect(stdout).toMatch(/crm: {7}activity logged \(act_\w+\) at \d{4}-/);
    expect(stdout).toContain(
      'tell the user: The stock system refused this order (insufficient_stock). Change the order and place it again.',
    );
    expect(stdout).not.toContain('retrying');
    expect(running.inventory.requestCount('/inventory/deduct')).toBe(1);
  });

  it('retries a retryable failure once with the same idempotency key, so the target that succeeded is written once', async () => {
    // One attempt per call inside the gateway, so the client sees the 503 and makes the retry itself.
    running = await startTestGateway({ env: { CRM_MAX_ATTEMPTS: '1' } });
    running.crm.faults.enqueue({ kind: 'status', status: 503 });
    const stdout = await runExample(example, running.url);

    const [first = '', second = ''] = stdout.split(/^retrying in 0 ms with the same idempotency key$/m);
    expect(first).toMatch(/^order order-\d+: PARTIALLY_SUCCEEDED in/m);
    expect(first).toMatch(/crm: {7}UpstreamUnavailable \(HTTP 503; retryable; 1 attempt\): CRM API/);
    expect(first).toContain('tell the user: The customer system is unavailable. Try again');
    expect(second).toMatch(/^order order-\d+: SUCCEEDED in/m);
    expect(second).toMatch(/inventory: stock deducted \(ded_\w+, replayed\)/);
    expect(second).toMatch(/crm: {7}activity logged \(act_\w+\) at/);
    // The retry re-sent only to the CRM: the stock was deducted once.
    expect(running.inventory.requestCount('/inventory/deduct')).toBe(1);
    expect(running.crm.requestCount('/crm/log_activity')).toBe(2);
  });
});

/** Private: runs an example as `npm run example:client` does, against the given gateway. */
async function runExample(example: string, gatewayUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', example], {
    env: { PATH: process.env.PATH ?? '', GATEWAY_URL: gatewayUrl },
  });
  return stdout;
}

function expectPlacedOrder(stdout: string): void {
  expect(stdout).toMatch(/^order order-\d+: SUCCEEDED in [\d.]+ ms$/m);
  expect(stdout).toMatch(/inventory: stock deducted \(ded_\w+\): 2× SKU-RED-MUG, \d+ left/);
  expect(stdout).toMatch(/crm: {7}activity logged \(act_\w+\) at \d{4}-/);
  expect(stdout).not.toContain('tell the user');
}

/** Private: a gateway logger whose lines the test reads, and how many GraphQL POSTs they record. */
function collectLog(): { logger: Logger; graphqlPosts(): number } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    { level: 'info', format: 'json' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const isGraphQLPost = (line: Record<string, unknown>) =>
    line.msg === 'request completed' && line.method === 'POST' && line.url === '/graphql';
  return { logger, graphqlPosts: () => lines.filter(isGraphQLPost).length };
}
