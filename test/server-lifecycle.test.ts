// The process as an operator runs it: start-up errors, production mode, health routes, Sandbox, and graceful shutdown.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CrmDemoServer,
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
  type InventoryDemoServer,
} from '../src/demo/index.js';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import {
  logLines,
  operatorUrlOf,
  type SpawnedGateway,
  spawnGateway,
  waitForReady,
} from './support/spawn-gateway.js';
import { postGraphQL, startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

/** Spawned processes start slowly on a loaded machine (tsx compiles on start): generous, never a timing bound. */
const SPAWNED = { timeout: 60_000 };

interface DemoUpstreams {
  readonly inventory: InventoryDemoServer;
  readonly crm: CrmDemoServer;
}

let spawned: SpawnedGateway | undefined;
let running: TestGateway | undefined;
let upstreams: DemoUpstreams | undefined;
const tempDirs: string[] = [];
afterEach(async () => {
  if (spawned && spawned.child.exitCode === null) {
    spawned.child.kill('SIGKILL');
    await spawned.exited;
  }
  spawned = undefined;
  await running?.close();
  running = undefined;
  await Promise.all([upstreams?.inventory.close(), upstreams?.crm.close()]);
  upstreams = undefined;
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startDemoUpstreams(): Promise<DemoUpstreams> {
  upstreams = { inventory: await createInventoryServer(), crm: await createCrmServer() };
  return upstreams;
}

function upstreamEnv({ inventory, crm }: DemoUpstreams): Record<string, string> {
  return {
    INVENTORY_API_URL: inventory.url,
    INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
    CRM_API_URL: crm.url,
    CRM_API_KEY: DEMO_CRM_API_KEY,
  };
}

const SHUTTING_DOWN = 'shutting down: finishing in-flight requests and taking no new ones';
const CLOSED_CIRCUITS = { inventory: { circuit: 'CLOSED' }, crm: { circuit: 'CLOSED' } };

/** A gateway whose CRM calls wait as long as the upstream makes them: one attempt, no attempt timeout to race. */
function shutdownEnv(demo: DemoUpstreams, env: Record<string, string> = {}): Record<string, string> {
  return { ...upstreamEnv(demo), LOG_LEVEL: 'info', CRM_TIMEOUT_MS: '600000', CRM_MAX_ATTEMPTS: '1', ...env };
}

/** Sends a mutation whose deadline outlasts any test, so only the upstream or the shutdown can end it. */
function placeSlowOrder(url: string, orderId: string, headers: Record<string, string> = {}) {
  const variables = { input: order(orderId), options: { deadlineMs: 600_000 } };
  const response = postGraphQL<{ placeOrder: Payload }>(url, PLACE_ORDER, variables, headers);
  // A test that fails before awaiting it must not also leave an unhandled rejection behind.
  response.catch(() => undefined);
  return response;
}

function writeConfigFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'fanout-lifecycle-'));
  tempDirs.push(dir);
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

/** GET on a connection of its own (no keep-alive pool), so a closed listener shows as ECONNREFUSED. */
function getOnNewConnection(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    request.on('error', reject);
  });
}

describe('start-up', SPAWNED, () => {
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

describe('production mode', SPAWNED, () => {
  it('refuses introspection and sends no stack traces when the config file says env production and NODE_ENV is unset', async () => {
    const demo = await startDemoUpstreams();
    const configPath = writeConfigFile({
      env: 'production',
      // Production requires an authentication decision; this test is about introspection, not callers.
      auth: { mode: 'none' },
      targets: {
        inventory: { url: demo.inventory.url, token: DEMO_INVENTORY_TOKEN },
        crm: { url: demo.crm.url, apiKey: DEMO_CRM_API_KEY },
      },
    });
    spawned = spawnGateway({ FANOUT_CONFIG: configPath });
    const url = await waitForReady(spawned);

    const introspection = await postGraphQL(url, '{ __schema { queryType { name } } }');
    expect(introspection.body.data).toBeUndefined();
    expect(introspection.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/introspection is not allowed/i),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', validationErrorCode: 'INTROSPECTION_DISABLED' },
      }),
    ]);
    const invalid = await postGraphQL(url, '{ noSuchField }');
    expect(invalid.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('shutdown', SPAWNED, () => {
  it('finishes an in-flight mutation on SIGTERM, then exits 0', async () => {
    const demo = await startDemoUpstreams();
    demo.crm.faults.set({ latencyMs: 1000 });
    spawned = spawnGateway(shutdownEnv(demo));
    const url = await waitForReady(spawned);

    const inFlight = placeSlowOrder(url, 'o-inflight');
    await waitUntil(() => demo.crm.requestCount('/crm/log_activity') > 0, 'the CRM has received the call');
    spawned.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(await spawned.exited).toBe(0);
    expect(spawned.stdout()).toContain('shutting down');
  });

  it('answers /readyz 503 on new connections while draining (the reason on the operator port), keeps /healthz and /metrics, refuses new GraphQL work, and exits 0 once the in-flight request ends', async () => {
    const demo = await startDemoUpstreams();
    demo.crm.faults.enqueue({ kind: 'hang' });
    spawned = spawnGateway(shutdownEnv(demo, { FANOUT_SHUTDOWN_TIMEOUT_MS: '600000' }));
    const gateway = spawned;
    const url = await waitForReady(gateway);
    const base = url.replace(/\/graphql$/, '');
    const operator = operatorUrlOf(gateway);

    const inFlight = placeSlowOrder(url, 'o-draining');
    await waitUntil(() => demo.crm.requestCount('/crm/log_activity') > 0, 'the CRM has received the call');
    gateway.child.kill('SIGTERM');
    await waitUntil(() => gateway.stdout().includes('shutting down'), 'the gateway starts draining');

    expect(await getOnNewConnection(`${base}/readyz`)).toEqual({
      status: 503,
      body: { status: 'unavailable' },
    });
    expect(await getOnNewConnection(`${operator}/readyz`)).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: SHUTTING_DOWN, targets: CLOSED_CIRCUITS },
    });
    expect(await getOnNewConnection(`${base}/healthz`)).toEqual({
      status: 200,
      body: { status: 'ok', version: expect.any(String) },
    });
    expect((await fetch(`${operator}/metrics`)).status).toBe(200);
    const refused = await postGraphQL(url, '{ targets { target } }');
    expect(refused.status).toBe(503);
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'SHUTTING_DOWN' });

    gateway.child.kill('SIGINT');
    await waitUntil(() => gateway.stdout().includes('already shutting down'), 'the second signal is logged');
    // Cutting the hung CRM connection ends the last in-flight request, which ends the drain.
    await demo.crm.close();
    const response = await inFlight;
    expect(response.body.data?.placeOrder).toMatchObject({ inventory: { __typename: 'StockDeducted' } });
    expect(await gateway.exited).toBe(0);
    expect(gateway.stdout().match(/"msg":"shutting down: /g)).toHaveLength(1);
  });

  it('abandons requests still running when FANOUT_SHUTDOWN_TIMEOUT_MS passes, names them in an error log line, and exits 1', async () => {
    const demo = await startDemoUpstreams();
    demo.crm.faults.enqueue({ kind: 'hang' });
    spawned = spawnGateway(shutdownEnv(demo, { FANOUT_SHUTDOWN_TIMEOUT_MS: '300' }));
    const url = await waitForReady(spawned);

    const inFlight = placeSlowOrder(url, 'o-abandoned', { 'x-request-id': 'req-abandoned-1' });
    await waitUntil(() => demo.crm.requestCount('/crm/log_activity') > 0, 'the CRM has received the call');
    spawned.child.kill('SIGTERM');

    expect(await spawned.exited).toBe(1);
    await expect(inFlight).rejects.toThrow();
    const abandoned = logLines(spawned).find((line) => line.level === 50);
    expect(abandoned).toMatchObject({
      msg: expect.stringMatching(/abandon/),
      inflight: 1,
      timeoutMs: 300,
      requests: [
        expect.objectContaining({
          requestId: 'req-abandoned-1',
          path: '/graphql',
          operationName: 'PlaceOrder',
        }),
      ],
    });
  });
});

describe('draining in process', () => {
  it('keeps health, readiness and metrics answering on both ports while draining, and asks public keep-alive clients to close', async () => {
    running = await startTestGateway();
    const base = running.url.replace(/\/graphql$/, '');
    expect(await running.gateway.drain()).toEqual([]);

    const health = await fetch(`${base}/healthz`);
    expect([health.status, health.headers.get('connection')]).toEqual([200, 'close']);
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'unavailable' }]);
    const operatorReady = await fetch(`${running.operatorUrl}/readyz`);
    expect([operatorReady.status, await operatorReady.json()]).toEqual([
      503,
      { status: 'unavailable', reason: SHUTTING_DOWN, targets: CLOSED_CIRCUITS },
    ]);
    expect((await fetch(`${running.operatorUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${running.operatorUrl}/healthz`)).status).toBe(200);
    const refused = await running.graphql('{ targets { target } }');
    expect(refused).toMatchObject({
      status: 503,
      body: { errors: [{ extensions: { code: 'SHUTTING_DOWN' } }] },
    });
  });

  it('closes the operator port with the public one', async () => {
    running = await startTestGateway();
    const operator = running.operatorUrl;
    await running.close();
    running = undefined;

    await expect(getOnNewConnection(`${operator}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('HTTP routes', () => {
  it('answers /healthz and a bare /readyz on the public port, and no /metrics there', async () => {
    running = await startTestGateway();
    const base = running.url.replace(/\/graphql$/, '');
    const health = await fetch(`${base}/healthz`);
    const ready = await fetch(`${base}/readyz`);
    expect([health.status, await health.json()]).toEqual([
      200,
      { status: 'ok', version: expect.any(String) },
    ]);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it('serves /healthz, /readyz with each target’s circuit, and /metrics on the operator port', async () => {
    running = await startTestGateway();
    const health = await fetch(`${running.operatorUrl}/healthz`);
    const ready = await fetch(`${running.operatorUrl}/readyz`);
    const metrics = await fetch(`${running.operatorUrl}/metrics`);
    expect([health.status, await health.json()]).toEqual([
      200,
      { status: 'ok', version: expect.any(String) },
    ]);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', targets: CLOSED_CIRCUITS }]);
    expect([metrics.status, metrics.headers.get('content-type')]).toEqual([
      200,
      expect.stringContaining('text/plain'),
    ]);
    expect(await metrics.text()).toContain('fanout_circuit_state');
    expect((await fetch(`${running.operatorUrl}/graphql`)).status).toBe(404);
  });

  it('binds the operator port to 127.0.0.1 by default, even when the public port listens on every interface', async () => {
    running = await startTestGateway({ env: { HOST: '0.0.0.0' } });
    const publicPort = new URL(running.url).port;
    const operatorPort = new URL(running.operatorUrl).port;
    expect(new URL(running.operatorUrl).hostname).toBe('127.0.0.1');

    // 127.0.0.2 is loopback too, but only a socket bound to every interface accepts connections on it.
    expect(await getOnNewConnection(`http://127.0.0.2:${publicPort}/healthz`)).toEqual({
      status: 200,
      body: { status: 'ok', version: expect.any(String) },
    });
    await expect(getOnNewConnection(`http://127.0.0.2:${operatorPort}/healthz`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('opens no operator port when METRICS_ENABLED is false', async () => {
    running = await startTestGateway({ env: { METRICS_ENABLED: 'false' } });
    expect(running.gateway.operatorUrl()).toBeUndefined();
    expect((await fetch(running.url.replace(/\/graphql$/, '/metrics'))).status).toBe(404);
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
