// Subgraph mode through a real router: Mesh compose builds the supergraph, Hive Gateway (a real process) routes to us.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/auth/index.js';
import { composeSupergraph } from './support/compose-supergraph.js';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { createRendezvous } from './support/rendezvous.js';
import { deductionFor, startScriptedUpstream } from './support/scripted-upstream.js';
import { sendGraphQL } from './support/send-graphql.js';
import { type RunningHiveGateway, startHiveGateway } from './support/start-hive-gateway.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

const WEB_KEY = 'fgk_web-federation-key-0001';
const AUTH_ENV = {
  AUTH_MODE: 'api-keys',
  AUTH_API_KEYS: `web:${hashApiKey(WEB_KEY)}:orders:write`,
};
/** What a router in front of this gateway should forward (see docs/federation.md). */
const FORWARDED_HEADERS = ['authorization', 'x-api-key', 'idempotency-key', 'apollographql-client-name'];
const SERVICE_SDL = '{ _service { sdl } }';
/** A placeOrder selection three levels deep, for gateways whose FANOUT_MAX_DEPTH is 3. */
const PLACE_ORDER_SHALLOW = `
  mutation PlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) { orderId status inventory { __typename } crm { __typename } }
  }
`;

/** Everything a test started, closed in reverse order after it, whether it passed or not. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  const failures: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0) throw failures[0];
});

async function startSubgraph(options: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  const gateway = await startTestGateway({
    ...options,
    env: { FANOUT_SUBGRAPH: 'true', ...options.env },
  });
  cleanups.push(() => gateway.close());
  return gateway;
}

/** Composes a supergraph of the one subgraph with Mesh compose, and runs Hive Gateway in front of it. */
async function routeThroughHiveGateway(
  subgraph: TestGateway,
  compositionHeaders: Record<string, string> = {},
): Promise<RunningHiveGateway> {
  const dir = await tempDir();
  const supergraphPath = await composeSupergraph(dir, [
    { name: 'fanout', url: subgraph.url, headers: compositionHeaders },
  ]);
  const router = await startHiveGateway({
    dir,
    supergraphPath,
    forwardHeaders: FORWARDED_HEADERS,
    returnHeaders: ['idempotent-replayed'],
  });
  cleanups.push(() => router.close());
  return router;
}

const upstreamRequests = (gateway: TestGateway) =>
  gateway.inventory.requestCount() + gateway.crm.requestCount();

/** A temp dir removed after the test. */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fanout-federation-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// Spawned processes on a loaded machine: bounded waits inside, and room for them here.
describe('Federation subgraph mode through Hive Gateway', { timeout: 120_000 }, () => {
  it('reaches both upstreams at once from one routed placeOrder and answers a typed union member per target', async () => {
    // Each upstream holds its answer until the other's request has arrived: only a concurrent fan-out meets.
    const rendezvous = createRendezvous(['inventory', 'crm']);
    const inventory = await startScriptedUpstream(async (request) => {
      await rendezvous.arrive('inventory');
      return { status: 201, body: deductionFor(request.body) };
    });
    cleanups.push(() => inventory.close());
    const crm = await startScriptedUpstream(async () => {
      await rendezvous.arrive('crm');
      return { status: 503, body: { error: 'unavailable', message: 'CRM maintenance window' } };
    });
    cleanups.push(() => crm.close());
    // Timeouts far above the rendezvous bound: a serial fan-out fails on `met`, not on a timeout.
    const subgraph = await startSubgraph({
      inventoryUrl: inventory.url,
      crmUrl: crm.url,
      env: {
        FANOUT_DEADLINE_MS: '60000',
        INVENTORY_TIMEOUT_MS: '30000',
        CRM_TIMEOUT_MS: '30000',
        CRM_MAX_ATTEMPTS: '1',
      },
    });
    const router = await routeThroughHiveGateway(subgraph);

    const response = await sendGraphQL<{ placeOrder: Payload }>(router.url, PLACE_ORDER, {
      input: order('o-federated'),
    });

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const payload = response.body.data?.placeOrder;
    expect(payload).toMatchObject({
      orderId: 'o-federated',
      status: 'PARTIALLY_SUCCEEDED',
      inventory: {
        __typename: 'StockDeducted',
        deductionId: 'ded-o-federated',
        replayed: false,
        attempts: 1,
      },
      crm: {
        __typename: 'UpstreamUnavailable',
        target: 'CRM',
        retryable: true,
        attempts: 1,
        httpStatus: 503,
      },
    });
    expect(payload?.crm.message).toEqual(expect.stringContaining('503'));
    expect(rendezvous.met()).toEqual({ inventory: true, crm: true });
    expect([inventory.requests.length, crm.requests.length]).toEqual([1, 1]);
  });

  it('authenticates the API key Hive Gateway forwards, and shows a missing key UNAUTHENTICATED through it', async () => {
    const subgraph = await startSubgraph({ env: AUTH_ENV });
    const router = await routeThroughHiveGateway(subgraph, { 'x-api-key': WEB_KEY });

    const viaApiKey = await sendGraphQL<{ placeOrder: Payload }>(
      router.url,
      PLACE_ORDER,
      { input: order('o-fed-key') },
      { 'x-api-key': WEB_KEY },
    );
    const viaBearer = await sendGraphQL<{ placeOrder: Payload }>(
      router.url,
      PLACE_ORDER,
      { input: order('o-fed-bearer') },
      { authorization: `Bearer ${WEB_KEY}` },
    );
    const sentBefore = upstreamRequests(subgraph);
    const anonymous = await sendGraphQL<{ placeOrder: Payload }>(router.url, PLACE_ORDER, {
      input: order('o-fed-anonymous'),
    });
    const wrongKey = await sendGraphQL<{ placeOrder: Payload }>(
      router.url,
      PLACE_ORDER,
      { input: order('o-fed-wrong') },
      { 'x-api-key': 'fgk_not-a-configured-key' },
    );

    expect(viaApiKey.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(viaBearer.body.data?.placeOrder.status).toBe('SUCCEEDED');
    for (const refused of [anonymous, wrongKey]) {
      expect(refused.body.data?.placeOrder ?? null).toBeNull();
      expect(refused.body.errors?.map((error) => error.extensions?.code)).toContain('UNAUTHENTICATED');
    }
    expect(upstreamRequests(subgraph)).toBe(sentBefore);
  });

  it('keeps idempotency through the router: a forwarded Idempotency-Key replays, and reused with other input is refused', async () => {
    const subgraph = await startSubgraph({ env: AUTH_ENV });
    const router = await routeThroughHiveGateway(subgraph, { 'x-api-key': WEB_KEY });
    const headers = { 'x-api-key': WEB_KEY, 'idempotency-key': 'fed-idem-1' };

    const first = await sendGraphQL<{ placeOrder: Payload }>(
      router.url,
      PLACE_ORDER,
      { input: order('o-fed-idem') },
      headers,
    );
    const sentAfterFirst = upstreamRequests(subgraph);
    const repeat = await sendGraphQL<{ placeOrder: Payload }>(
      router.url,
      PLACE_ORDER,
      { input: order('o-fed-idem') },
      headers,
    );
    const reused = await sendGraphQL<{ placeOrder: Payload }>(
      router.url,
      PLACE_ORDER,
      { input: order('o-fed-other') },
      headers,
    );

    expect(first.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(repeat.body.data?.placeOrder).toMatchObject({
      status: 'SUCCEEDED',
      inventory: { deductionId: first.body.data?.placeOrder.inventory.deductionId },
    });
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(reused.body.errors?.map((error) => error.extensions?.code)).toContain('IDEMPOTENCY_KEY_REUSED');
    // Only the header reached the gateway (the orders differ), and neither repeat wrote anything.
    expect(upstreamRequests(subgraph)).toBe(sentAfterFirst);
  });

  it('applies the operation limits to what the router sends: too deep is LIMIT_EXCEEDED and writes nothing', async () => {
    const subgraph = await startSubgraph({ env: { FANOUT_MAX_DEPTH: '3' } });
    const router = await routeThroughHiveGateway(subgraph);

    const tooDeep = await sendGraphQL<{ placeOrder: Payload }>(router.url, PLACE_ORDER, {
      input: order('o-fed-deep'),
    });
    const shallow = await sendGraphQL<{ placeOrder: Payload }>(router.url, PLACE_ORDER_SHALLOW, {
      input: order('o-fed-shallow'),
    });

    expect(tooDeep.body.errors?.map((error) => error.extensions?.code)).toContain('LIMIT_EXCEEDED');
    expect(shallow.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(subgraph.inventory.requestCount()).toBe(1);
  });
});

describe('Federation subgraph mode switch', () => {
  it('has no _service field when FANOUT_SUBGRAPH is off', async () => {
    const gateway = await startTestGateway();
    cleanups.push(() => gateway.close());

    const response = await sendGraphQL(gateway.url, SERVICE_SDL);

    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors?.[0]?.message).toContain('_service');
  });

  it('serves the Federation 2 SDL from _service when on, in production too where introspection is off', async () => {
    const subgraph = await startSubgraph({ env: { NODE_ENV: 'production', AUTH_MODE: 'none' } });

    const service = await sendGraphQL<{ _service: { sdl: string } }>(subgraph.url, SERVICE_SDL);
    const introspection = await sendGraphQL(subgraph.url, '{ __schema { queryType { name } } }');

    const sdl = service.body.data?._service.sdl ?? '';
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    expect(sdl).toContain('placeOrder(input: PlaceOrderInput!, options: FanoutOptions): PlaceOrderPayload!');
    // Federation 1 read `extend type` as "owned elsewhere": every extension is folded into its type.
    expect(sdl).not.toMatch(/extend type/);
    expect(sdl).toMatch(/type Query \{[^}]*\bdeliveries\(/);
    expect(introspection.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('keeps trusted documents on in subgraph mode: _service is refused unless the manifest holds it', async () => {
    const targets = 'query Targets { targets { target } }';
    const manifestPath = join(await tempDir(), 'persisted-documents.json');
    const sha256 = createHash('sha256').update(targets).digest('hex');
    await writeFile(manifestPath, JSON.stringify({ [`sha256:${sha256}`]: targets }));
    const subgraph = await startSubgraph({ env: { FANOUT_TRUSTED_DOCUMENTS: manifestPath } });

    const service = await sendGraphQL(subgraph.url, SERVICE_SDL);
    const trusted = await sendGraphQL<{ targets: unknown[] }>(subgraph.url, targets);

    expect(service.status).toBe(400);
    expect(service.body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(trusted.body.data?.targets).toHaveLength(2);
  });
});
