// The process as an operator runs it: start-up errors, health routes, Sandbox, and graceful shutdown.
import { afterEach, describe, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { type SpawnedGateway, spawnGateway, waitForReady } from './support/spawn-gateway.js';
import { postGraphQL, startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let spawned: SpawnedGateway | undefined;
let running: TestGateway | undefined;
afterEach(async () => {
  if (spawned && spawned.child.exitCode === null) {
    spawned.child.kill('SIGKILL');
    await spawned.exited;
  }
  spawned = undefined;
  await running?.close();
  running = undefined;
});

describe('start-up', () => {
  it('stops with a message naming the variable when a value is bad', async () => {
    spawned = spawnGateway({ PORT: 'abc', INVENTORY_TIMEOUT_MS: '-1' });
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr()).toContain('PORT: expected an integer from 0 to 65535, got "abc"');
    expect(spawned.stderr()).toContain('INVENTORY_TIMEOUT_MS: expected an integer from 1 to 600000, got -1');
  });

  it('refuses to start in production without upstream URLs instead of starting demo servers', async () => {
    spawned = spawnGateway({ NODE_ENV: 'production' });
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr()).toContain('INVENTORY_API_URL: required when NODE_ENV=production');
    expect(spawned.stderr()).toContain('CRM_API_URL: required when NODE_ENV=production');
  });

  it('starts embedded demo upstreams when no URLs are set, says so, and places an order through them', async () => {
    spawned = spawnGateway({ NODE_ENV: 'development' });
    const url = await waitForReady(spawned);
    expect(spawned.stdout()).toContain('INVENTORY_API_URL is not set: using the embedded demo Inventory API');
    expect(spawned.stdout()).toContain('CRM_API_URL is not set: using the embedded demo CRM API');

    const response = await postGraphQL<{ placeOrder: Payload }>(url, PLACE_ORDER, { input: order('o-demo') });
    expect(response.body.data?.placeOrder).toMatchObject({
      status: 'SUCCEEDED',
      inventory: { __typename: 'StockDeducted' },
      crm: { __typename: 'ActivityLogged' },
    });
  });
});

describe('shutdown', () => {
  it('finishes an in-flight mutation on SIGTERM, then exits 0', async () => {
    spawned = spawnGateway({ DEMO_CRM_LATENCY_MS: '700', LOG_LEVEL: 'info' });
    const url = await waitForReady(spawned);

    const inFlight = postGraphQL<{ placeOrder: Payload }>(url, PLACE_ORDER, { input: order('o-inflight') });
    await new Promise((resolve) => setTimeout(resolve, 250));
    spawned.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(await spawned.exited).toBe(0);
    expect(spawned.stdout()).toContain('shutting down');
  });
});

describe('HTTP routes', () => {
  it('answers /healthz and /readyz while serving', async () => {
    running = await startTestGateway();
    const base = running.url.replace(/\/graphql$/, '');
    const health = await fetch(`${base}/healthz`);
    const ready = await fetch(`${base}/readyz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', targets: { inventory: { circuit: 'CLOSED' }, crm: { circuit: 'CLOSED' } } },
    ]);
  });

  it('serves Apollo Sandbox on GET /graphql to browsers outside production', async () => {
    running = await startTestGateway();
    const page = await fetch(running.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/sandbox/i);
  });

  it('reports each target’s URL, circuit and recent failure rate on Query.targets', async () => {
    running = await startTestGateway({ env: { CRM_MAX_ATTEMPTS: '1' } });
    running.crm.faults.enqueue({ kind: 'status', status: 503 });
    await running.graphql(PLACE_ORDER, { input: order('o-health-1') });
    await running.graphql(PLACE_ORDER, { input: order('o-health-2') });
    const response = await running.graphql<{ targets: Record<string, unknown>[] }>(
      '{ targets { target url circuit inflight recentFailureRate } }',
    );
    expect(response.body.data?.targets).toEqual([
      {
        target: 'INVENTORY',
        url: running.inventory.url,
        circuit: 'CLOSED',
        inflight: 0,
        recentFailureRate: 0,
      },
      { target: 'CRM', url: running.crm.url, circuit: 'CLOSED', inflight: 0, recentFailureRate: 0.5 },
    ]);
  });
});
