// The typed client example works against a real gateway: what a frontend developer copies must run.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { createLogger, type Logger } from '../src/observability/index.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

const EXAMPLE = fileURLToPath(new URL('../examples/client/place-order.ts', import.meta.url));
const MANIFEST = fileURLToPath(
  new URL('../examples/client/__generated__/persisted-documents.json', import.meta.url),
);

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
});

it('places an order through Apollo Client with the generated types', async () => {
  const log = collectLog();
  running = await startTestGateway({ logger: log.logger });
  const stdout = await runExample(running.url);

  expectPlacedOrder(stdout);
  expect(running.inventory.requestCount('/inventory/deduct')).toBe(1);
  // Apollo's APQ did not know the hash: PERSISTED_QUERY_NOT_FOUND, then the manifest's text with it.
  expect(log.graphqlPosts()).toBe(2);
});

it('places an order by its trusted-document hash when the gateway runs only the manifest', async () => {
  const log = collectLog();
  running = await startTestGateway({ logger: log.logger, env: { FANOUT_TRUSTED_DOCUMENTS: MANIFEST } });
  const stdout = await runExample(running.url);

  expectPlacedOrder(stdout);
  expect(running.inventory.requestCount('/inventory/deduct')).toBe(1);
  // One request, carrying the hash only: the gateway ran its own copy of the document.
  expect(log.graphqlPosts()).toBe(1);
});

/** Private: runs the example as `npm run example:client` does, against the given gateway. */
async function runExample(gatewayUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', EXAMPLE], {
    env: { PATH: process.env.PATH ?? '', GATEWAY_URL: gatewayUrl },
  });
  return stdout;
}

function expectPlacedOrder(stdout: string): void {
  expect(stdout).toMatch(/^order order-\d+: SUCCEEDED in [\d.]+ ms$/m);
  expect(stdout).toMatch(/inventory: stock deducted \(ded_\w+\): 2× SKU-RED-MUG, \d+ left/);
  expect(stdout).toMatch(/crm: {7}activity logged \(act_\w+\) at \d{4}-/);
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
