// The Delivery API over real HTTP and a real graphql-ws socket: queries, cursor pages, replay/cancel, scopes, deliveryUpdated.
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { buildSchema } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashApiKey } from '../src/auth/index.js';
import type { DeliveryQueue, JsonValue, NewDelivery } from '../src/delivery/index.js';
import { startGraphQLWsServer } from '../src/graphql/index.js';
import { createLogger } from '../src/observability/index.js';
import { sendGraphQL } from './support/send-graphql.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const KEYS = { ops: 'fgk_ops-delivery-key-0001', reader: 'fgk_reader-key-0002', shop: 'fgk_shop-key-0003' };
const AUTH_API_KEYS = [
  `ops:${hashApiKey(KEYS.ops)}:deliveries:read,deliveries:replay`,
  `reader:${hashApiKey(KEYS.reader)}:deliveries:read`,
  `shop:${hashApiKey(KEYS.shop)}:orders:write`,
].join(';');

const DELIVERY_FIELDS = `id orderId target kind state attempts createdAt updatedAt nextAttemptAt deliveredAt lastFailure
  cancelRequested result { __typename ... on StockDeducted { deductionId items { sku quantity remaining } }
  ... on ActivityLogged { activityId loggedAt } }`;
const DELIVERY = `query ($id: ID!) { delivery(id: $id) { ${DELIVERY_FIELDS} } }`;
const DELIVERIES = `query ($filter: DeliveryFilter, $first: Int, $after: String) {
  deliveries(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id state target } } nodes { id } pageInfo { hasNextPage endCursor startCursor }
  } }`;
const REPLAY = `mutation ($id: ID!) { replayDelivery(id: $id) { id state attempts lastFailure nextAttemptAt } }`;
const REPLAY_ALL = 'mutation ($filter: DeliveryFilter!) { replayDeliveries(filter: $filter) }';
const CANCEL = 'mutation ($id: ID!) { cancelDelivery(id: $id) { id state cancelRequested } }';
const ON_ORDER =
  'subscription ($orderId: ID) { deliveryUpdated(orderId: $orderId) { id orderId state attempts } }';

interface DeliveryView {
  id: string;
  state: string;
  target: string;
  attempts: number;
  [field: string]: unknown;
}
interface Connection {
  edges: { cursor: string; node: { id: string; state: string; target: string } }[];
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null; startCursor: string | null };
}

let running: TestGateway | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
  await running?.close();
  running = undefined;
});

async function start(env: Record<string, string> = {}): Promise<TestGateway> {
  running = await startTestGateway({ env: { FANOUT_WORKER: 'off', ...env } });
  return running;
}

let sequence = 0;
/** A write delivery as the engine would enqueue it (payload: the Order; a unique id and key per call). */
function newDelivery(orderId: string, target: 'inventory' | 'crm'): NewDelivery {
  sequence += 1;
  return {
    id: `dlv_test-${sequence}-${orderId}-${target}`,
    kind: 'write',
    orderId,
    target,
    upstreamKey: `key-${sequence}-${orderId}-${target}`,
    payload: { orderId, customerId: 'c-1', items: [{ sku: 'sku-1', quantity: 1 }] },
    clientId: 'test',
  };
}

async function enqueue(queue: DeliveryQueue, ...deliveries: NewDelivery[]): Promise<string[]> {
  const done = await queue.enqueue(deliveries);
  return done.map(({ delivery }) => delivery.id);
}

/** Claims `target`'s due deliveries and kills them all: they become DEAD after one attempt. */
async function killAll(queue: DeliveryQueue, target: string): Promise<void> {
  for (const { delivery, claim } of await queue.claimDue(target, 100, 60_000))
    await queue.kill(delivery.id, claim, 'UpstreamRejected: 409 insufficient_stock');
}

async function deliverAll(queue: DeliveryQueue, target: string): Promise<void> {
  for (const { delivery, claim } of await queue.claimDue(target, 100, 60_000)) {
    const result: JsonValue =
      target === 'inventory'
        ? {
            orderId: delivery.orderId,
            deductionId: `ded-${delivery.orderId}`,
            items: [{ sku: 'sku-1', quantity: 1, remaining: 41 }],
            replayed: false,
            attempts: 1,
          }
        : {
            orderId: delivery.orderId,
            activityId: `act-${delivery.orderId}`,
            loggedAt: '2026-11-30T12:00:00.000Z',
            replayed: false,
            attempts: 1,
          };
    await queue.complete(delivery.id, claim, result);
  }
}

/** The delivery a subscription event carries. */
const updatedOf = (event: { data?: Record<string, unknown> | null }) =>
  event.data?.deliveryUpdated as DeliveryView | undefined;

const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.map((error) => error.extensions?.code);

function socketClient(
  gateway: TestGateway,
  options: { connectionParams?: Record<string, unknown>; headers?: Record<string, string> } = {},
) {
  const closes: { code: number; reason: string }[] = [];
  const headers = options.headers;
  class HeaderWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, headers ? { headers } : {});
    }
  }
  const client = createClient({
    url: gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: HeaderWebSocket,
    connectionParams: options.connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closes.push(event as { code: number; reason: string }) },
  });
  clients.push(client);
  return { client, closes };
}

/** Subscribes and collects every event and the terminal error, if any. */
function collect(client: Client, query: string, variables: Record<string, unknown>) {
  const events: { data?: Record<string, unknown> | null; errors?: unknown[] }[] = [];
  const ended: { error?: unknown; complete?: boolean } = {};
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (value) => events.push(value as (typeof events)[number]),
      error: (error) => {
        ended.error = error;
      },
      complete: () => {
        ended.complete = true;
      },
    },
  );
  return { events, ended, unsubscribe };
}

/** The HTTP status an upgrade request gets: 101 when the socket opened. */
const upgradeStatus = (url: string, headers: Record<string, string> = {}) =>
  new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', (error) => {
      if (!String(error).includes('Unexpected server response')) reject(error);
    });
  });

describe('Delivery queries', () => {
  it("answers delivery(id) with its state and, once delivered, the target's success member; null for an unknown id", async () => {
    const gateway = await start();
    const queue = gateway.gateway.deliveries;
    const [inventoryId, crmId] = await enqueue(
      queue,
      newDelivery('o-read', 'inventory'),
      newDelivery('o-read', 'crm'),
    );
    await deliverAll(queue, 'inventory');

    const delivered = await gateway.graphql<{ delivery: DeliveryView }>(DELIVERY, { id: inventoryId });
    expect(delivered.body.errors).toBeUndefined();
    expect(delivered.body.data?.delivery).toMatchObject({
      id: inventoryId,
      orderId: 'o-read',
      target: 'INVENTORY',
      kind: 'WRITE',
      state: 'DELIVERED',
      attempts: 1,
      nextAttemptAt: null,
      lastFailure: null,
      cancelRequested: false,
      result: {
        __typename: 'StockDeducted',
        deductionId: 'ded-o-read',
        items: [{ sku: 'sku-1', quantity: 1, remaining: 41 }],
      },
    });
    expect(Date.parse(String(delivered.body.data?.delivery.deliveredAt))).not.toBeNaN();

    const queued = await gateway.graphql<{ delivery: DeliveryView }>(DELIVERY, { id: crmId });
    expect(queued.body.data?.delivery).toMatchObject({
      target: 'CRM',
      state: 'QUEUED',
      attempts: 0,
      result: null,
    });
    expect(Date.parse(String(queued.body.data?.delivery.nextAttemptAt))).not.toBeNaN();

    const unknown = await gateway.graphql(DELIVERY, { id: 'dlv_nothing-here' });
    expect(unknown.body).toEqual({ data: { delivery: null } });
  });

  it('lists deliveries oldest first in cursor pages, filtered by order, target, state and creation time', async () => {
    const gateway = await start();
    const queue = gateway.gateway.deliveries;
    const ids: string[] = [];
    for (let index = 0; index < 5; index++)
      ids.push(
        ...(await enqueue(queue, newDelivery(`o-page-${index}`, index % 2 === 0 ? 'crm' : 'inventory'))),
      );
    await enqueue(queue, newDelivery('o-other', 'crm'));
    await killAll(queue, 'inventory');

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Awaited<ReturnType<typeof gateway.graphql<{ deliveries: Connection }>>> =
        await gateway.graphql<{
          deliveries: Connection;
        }>(DELIVERIES, { filter: { createdAfter: '2020-01-01T00:00:00Z' }, first: 2, after });
      const connection = page.body.data?.deliveries;
      if (!connection) throw new Error(JSON.stringify(page.body));
      pages += 1;
      seen.push(...connection.edges.map((edge) => edge.node.id));
      expect(connection.nodes.map((node) => node.id)).toEqual(connection.edges.map((edge) => edge.node.id));
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen.slice(0, 5)).toEqual(ids);
    expect(seen).toHaveLength(6);

    const crm = await gateway.graphql<{ deliveries: Connection }>(DELIVERIES, { filter: { target: 'CRM' } });
    expect(crm.body.data?.deliveries.edges.map((edge) => edge.node.target)).toEqual([
      'CRM',
      'CRM',
      'CRM',
      'CRM',
    ]);
    const dead = await gateway.graphql<{ deliveries: Connection }>(DELIVERIES, {
      filter: { state: 'DEAD', target: 'INVENTORY' },
    });
    expect(dead.body.data?.deliveries.edges.map((edge) => edge.node.id)).toEqual([ids[1], ids[3]]);
    const byOrder = await gateway.graphql<{ deliveries: Connection }>(DELIVERIES, {
      filter: { orderId: 'o-other' },
    });
    expect(byOrder.body.data?.deliveries.edges).toHaveLength(1);
    const future = await gateway.graphql<{ deliveries: Connection }>(DELIVERIES, {
      filter: { createdAfter: '2999-01-01T00:00:00+01:00' },
    });
    expect(future.body.data?.deliveries).toMatchObject({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null, startCursor: null },
    });
  });

  it('refuses a bad cursor, a page size out of range and a malformed time with BAD_USER_INPUT', async () => {
    const gateway = await start();
    for (const variables of [
      { after: 'not-a-cursor' },
      { after: Buffer.from('d1:-4').toString('base64url') },
      { first: 0 },
      { first: 501 },
      { filter: { createdAfter: 'yesterday' } },
      { filter: { createdBefore: '2026-11-30T12:00:00' } },
    ]) {
      const response = await gateway.graphql(DELIVERIES, variables);
      expect(codes(response.body), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('Delivery mutations', () => {
  it('replays a DEAD delivery to QUEUED, due now, with its attempts and upstream key kept', async () => {
    const gateway = await start();
    const queue = gateway.gateway.deliveries;
    const [id] = await enqueue(queue, newDelivery('o-replay', 'crm'));
    await killAll(queue, 'crm');
    const before = await queue.get(String(id));

    const response = await gateway.graphql<{ replayDelivery: DeliveryView }>(REPLAY, { id });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.replayDelivery).toMatchObject({
      id,
      state: 'QUEUED',
      attempts: 1,
      lastFailure: 'UpstreamRejected: 409 insufficient_stock',
    });
    const after = await queue.get(String(id));
    expect(after).toMatchObject({ state: 'QUEUED', attempts: 1, upstreamKey: before?.upstreamKey });
    expect(Number(after?.nextAttemptAt)).toBeLessThanOrEqual(Date.now());
  });

  it('replays every DEAD delivery a filter matches and answers how many; an empty filter is refused', async () => {
    const gateway = await start();
    const queue = gateway.gateway.deliveries;
    await enqueue(
      queue,
      newDelivery('o-bulk-1', 'crm'),
      newDelivery('o-bulk-2', 'crm'),
      newDelivery('o-bulk-3', 'crm'),
      newDelivery('o-bulk-1', 'inventory'),
    );
    await killAll(queue, 'crm');
    await killAll(queue, 'inventory');

    const replayed = await gateway.graphql(REPLAY_ALL, {
      filter: { state: 'DEAD', target: 'CRM', createdAfter: new Date(Date.now() - 3_600_000).toISOString() },
    });
    expect(replayed.body).toEqual({ data: { replayDeliveries: 3 } });
    const stats = await queue.stats();
    const counts = Object.fromEntries(stats.targets.map(({ target, counts }) => [target, counts]));
    expect(counts.crm).toMatchObject({ QUEUED: 3, DEAD: 0 });
    expect(counts.inventory).toMatchObject({ DEAD: 1 });

    const again = await gateway.graphql(REPLAY_ALL, { filter: { state: 'DEAD', target: 'CRM' } });
    expect(again.body).toEqual({ data: { replayDeliveries: 0 } });
    const everything = await gateway.graphql(REPLAY_ALL, { filter: {} });
    expect(codes(everything.body)).toEqual(['BAD_USER_INPUT']);
  });

  it('cancels a QUEUED delivery and refuses transitions its state does not allow with a code saying why', async () => {
    const gateway = await start();
    const queue = gateway.gateway.deliveries;
    const [queuedId, deliveredId] = await enqueue(
      queue,
      newDelivery('o-cancel', 'crm'),
      newDelivery('o-cancel', 'inventory'),
    );
    await deliverAll(queue, 'inventory');

    const cancelled = await gateway.graphql(CANCEL, { id: queuedId });
    expect(cancelled.body).toEqual({
      data: { cancelDelivery: { id: queuedId, state: 'CANCELLED', cancelRequested: false } },
    });
    const cancelAgain = await gateway.graphql(CANCEL, { id: queuedId });
    expect(cancelAgain.body.errors?.[0]?.extensions).toMatchObject({
      code: 'DELIVERY_TRANSITION_REFUSED',
      state: 'CANCELLED',
    });
    const replayDelivered = await gateway.graphql(REPLAY, { id: deliveredId });
    expect(replayDelivered.body.errors?.[0]?.extensions).toMatchObject({
      code: 'DELIVERY_TRANSITION_REFUSED',
      state: 'DELIVERED',
    });
    expect(replayDelivered.body.errors?.[0]?.message).toContain(String(deliveredId));
    const cancelDelivered = await gateway.graphql(CANCEL, { id: deliveredId });
    expect(codes(cancelDelivered.body)).toEqual(['DELIVERY_TRANSITION_REFUSED']);

    const replayCancelled = await gateway.graphql<{ replayDelivery: DeliveryView }>(REPLAY, { id: queuedId });
    expect(replayCancelled.body.data?.replayDelivery.state).toBe('QUEUED');

    for (const mutation of [REPLAY, CANCEL]) {
      const unknown = await gateway.graphql(mutation, { id: 'dlv_unknown' });
      expect(unknown.body.data).toBeNull();
      expect(codes(unknown.body)).toEqual(['DELIVERY_NOT_FOUND']);
    }
  });

  it('allows one root field per mutation operation, replays included', async () => {
    const gateway = await start();
    const response = await gateway.graphql(
      'mutation { a: replayDelivery(id: "x") { id } b: replayDelivery(id: "y") { id } }',
    );
    expect(codes(response.body)).toEqual(['LIMIT_EXCEEDED']);
  });

  it('answers DELIVERY_QUEUE_UNAVAILABLE when the queue cannot be used', async () => {
    const gateway = await start();
    await gateway.gateway.deliveries.close();
    const read = await gateway.graphql(DELIVERY, { id: 'dlv_any' });
    expect([read.status, codes(read.body)]).toEqual([503, ['DELIVERY_QUEUE_UNAVAILABLE']]);
    const replay = await gateway.graphql(REPLAY, { id: 'dlv_any' });
    expect(codes(replay.body)).toEqual(['DELIVERY_QUEUE_UNAVAILABLE']);
  });
});

describe('Delivery scopes', () => {
  it('needs deliveries:read to read and deliveries:replay to replay or cancel', async () => {
    const gateway = await start({ AUTH_API_KEYS });
    const [id] = await enqueue(gateway.gateway.deliveries, newDelivery('o-scope', 'crm'));
    const as = (key: string) => ({ 'x-api-key': key });

    const shopRead = await sendGraphQL(gateway.url, DELIVERY, { id }, as(KEYS.shop));
    expect([shopRead.status, codes(shopRead.body)]).toEqual([403, ['FORBIDDEN']]);
    expect(shopRead.body.errors?.[0]?.extensions?.scope).toBe('deliveries:read');
    const readerRead = await sendGraphQL(gateway.url, DELIVERIES, {}, as(KEYS.reader));
    expect(readerRead.body.errors).toBeUndefined();
    const readerCancel = await sendGraphQL(gateway.url, CANCEL, { id }, as(KEYS.reader));
    expect([readerCancel.status, codes(readerCancel.body)]).toEqual([403, ['FORBIDDEN']]);
    expect(readerCancel.body.errors?.[0]?.extensions?.scope).toBe('deliveries:replay');
    expect((await gateway.gateway.deliveries.get(String(id)))?.state).toBe('QUEUED');
    const opsCancel = await sendGraphQL(gateway.url, CANCEL, { id }, as(KEYS.ops));
    expect(opsCancel.body.errors).toBeUndefined();
  });
});

describe('deliveryUpdated over graphql-ws', () => {
  it("pushes an order's delivery updates, including the one a replayDelivery mutation makes", async () => {
    const gateway = await start();
    const queue = gateway.gateway.deliveries;
    const [deadId] = await enqueue(queue, newDelivery('o-live', 'inventory'));
    await killAll(queue, 'inventory');

    const { client } = socketClient(gateway);
    const { events } = collect(client, ON_ORDER, { orderId: 'o-live' });
    // The subscription starts listening once the server handled the message: enqueue until one arrives.
    await waitUntil(async () => {
      // Another order's update first: the filter must keep it out.
      await enqueue(queue, newDelivery('o-elsewhere', 'crm'));
      await enqueue(queue, newDelivery('o-live', 'crm'));
      return events.length > 0;
    }, 'the subscription received its first update');
    expect(events[0]?.data?.deliveryUpdated).toMatchObject({ orderId: 'o-live', state: 'QUEUED' });

    const replay = await gateway.graphql(REPLAY, { id: deadId });
    expect(replay.body.errors).toBeUndefined();
    await waitUntil(
      () => events.some((event) => updatedOf(event)?.id === deadId),
      'the replay reached the subscriber',
    );
    const replayed = events.find((event) => updatedOf(event)?.id === deadId);
    expect(replayed?.data?.deliveryUpdated).toMatchObject({ state: 'QUEUED', attempts: 1 });
    expect(events.every((event) => updatedOf(event)?.orderId === 'o-live')).toBe(true);
  });

  it('authenticates the socket like HTTP: connectionParams or upgrade headers; 4401 without credentials, 4403 without deliveries:read', async () => {
    const gateway = await start({ AUTH_API_KEYS });
    const queue = gateway.gateway.deliveries;

    const anonymous = socketClient(gateway);
    const refused = collect(anonymous.client, ON_ORDER, { orderId: 'o-auth' });
    await waitUntil(() => anonymous.closes.length > 0, 'the unauthenticated socket closed');
    expect(anonymous.closes[0]?.code).toBe(4401);
    expect(refused.events).toEqual([]);

    const shop = socketClient(gateway, { connectionParams: { 'x-api-key': KEYS.shop } });
    collect(shop.client, ON_ORDER, { orderId: 'o-auth' });
    await waitUntil(() => shop.closes.length > 0, 'the socket without deliveries:read closed');
    expect(shop.closes[0]?.code).toBe(4403);

    const wrongKey = socketClient(gateway, { connectionParams: { authorization: 'Bearer fgk_not-a-key' } });
    collect(wrongKey.client, ON_ORDER, { orderId: 'o-auth' });
    await waitUntil(() => wrongKey.closes.length > 0, 'the socket with a wrong key closed');
    expect(wrongKey.closes[0]?.code).toBe(4401);

    for (const options of [
      { connectionParams: { authorization: `Bearer ${KEYS.reader}` } },
      { headers: { 'x-api-key': KEYS.reader } },
    ]) {
      const reader = socketClient(gateway, options);
      const { events } = collect(reader.client, ON_ORDER, { orderId: 'o-auth' });
      await waitUntil(async () => {
        await enqueue(queue, newDelivery('o-auth', 'crm'));
        return events.length > 0;
      }, 'the reader received an update');
      expect(events[0]?.data?.deliveryUpdated).toMatchObject({ orderId: 'o-auth' });
      expect(reader.closes).toEqual([]);
    }
  });

  it('refuses queries over the socket, subscriptions over HTTP, a subscription without filter and one over the depth limit', async () => {
    const gateway = await start({ FANOUT_MAX_DEPTH: '3' });
    const { client } = socketClient(gateway);

    const query = collect(client, '{ targets { target } }', {});
    const noFilter = collect(client, 'subscription { deliveryUpdated { id } }', {});
    const deep = collect(
      client,
      `subscription { deliveryUpdated(orderId: "o") { result { ... on StockDeducted { items { sku } } } } }`,
      {},
    );
    await waitUntil(
      () =>
        [query, noFilter, deep].every(({ ended, events }) => ended.error !== undefined || events.length > 0),
      'every refusal arrived',
    );
    const errorCodes = (ended: { error?: unknown }, events: { errors?: unknown[] }[]) =>
      (
        (ended.error as { extensions?: { code?: string } }[] | undefined) ??
        (events[0]?.errors as never) ??
        []
      ).map((error: { extensions?: { code?: string } }) => error.extensions?.code);
    expect(errorCodes(query.ended, query.events)).toEqual(['BAD_REQUEST']);
    expect(errorCodes(noFilter.ended, noFilter.events)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(deep.ended, deep.events)).toEqual(['LIMIT_EXCEEDED']);

    const overHttp = await gateway.graphql('subscription { deliveryUpdated(orderId: "o") { id } }');
    expect(overHttp.status).toBe(400);
    expect(codes(overHttp.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(overHttp.body.errors?.[0]?.message).toMatch(/WebSocket/);
  });

  it('refuses an upgrade from a foreign browser origin with 403 and one to another path with 404', async () => {
    const gateway = await start();
    const wsUrl = gateway.url.replace(/^http/, 'ws');
    expect(await upgradeStatus(wsUrl, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(wsUrl.replace('/graphql', '/healthz'), {})).toBe(404);
    expect(await upgradeStatus(wsUrl, { origin: new URL(gateway.url).origin })).toBe(101);
  });

  it('closes its sockets with 1001 and refuses new upgrades with 503 once the gateway drains', async () => {
    const gateway = await start();
    const queue = gateway.gateway.deliveries;
    const { client, closes } = socketClient(gateway);
    const { events } = collect(client, ON_ORDER, { orderId: 'o-close' });
    await waitUntil(async () => {
      await enqueue(queue, newDelivery('o-close', 'crm'));
      return events.length > 0;
    }, 'the subscription is live');

    const drained = gateway.gateway.drain();
    await waitUntil(() => closes.length > 0, 'the socket closed');
    expect(closes[0]?.code).toBe(1001);
    expect(await upgradeStatus(gateway.url.replace(/^http/, 'ws'))).toBe(503);
    await drained;
  });
});

describe('graphql-ws connection limit', () => {
  it('answers an upgrade past maxConnections with 503 and accepts one again once a socket closes', async () => {
    const server = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
    const subscriptions = startGraphQLWsServer({
      server,
      path: '/graphql',
      schema: buildSchema('type Query { ok: Boolean } type Subscription { tick: Int }'),
      authenticate: () => Promise.reject(new Error('no socket in this test authenticates')),
      context: () => Promise.reject(new Error('no socket in this test subscribes')),
      limits: { maxTokens: 1000, maxDepth: 8, maxAliases: 15, maxDirectives: 20, maxCost: 1000 },
      corsOrigins: [],
      draining: () => false,
      logger: createLogger({ level: 'silent' }, new Writable({ write: (_chunk, _encoding, done) => done() })),
      production: true,
      maxConnections: 1,
    });
    const held = new WebSocket(url, 'graphql-transport-ws');
    try {
      await new Promise((resolve, reject) => held.once('open', resolve).once('error', reject));
      expect(subscriptions.connections()).toBe(1);
      expect(await upgradeStatus(url)).toBe(503);
      held.close();
      await waitUntil(() => subscriptions.connections() === 0, 'the held socket closed');
      expect(await upgradeStatus(url)).toBe(101);
    } finally {
      held.terminate();
      await subscriptions.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
