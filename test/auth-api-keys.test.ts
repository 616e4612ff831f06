// API key authentication over real HTTP: both headers, 401s that send nothing upstream, scopes, and client ids no header can spoof.
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/auth/index.js';
import { createLogger } from '../src/observability/index.js';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { sendGraphQL } from './support/send-graphql.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

const KEYS = {
  web: 'fgk_web-test-key-0001',
  ios: 'fgk_ios-test-key-0002',
  ops: 'fgk_ops-test-key-0003',
  readOnly: 'fgk_read-only-key-0004',
};

/** Four clients: two that write, one that reads targets, one with no scope at all. */
const AUTH_API_KEYS = [
  `web:${hashApiKey(KEYS.web)}:orders:write`,
  `ios:${hashApiKey(KEYS.ios)}:orders:write`,
  `ops:${hashApiKey(KEYS.ops)}:targets:read,orders:write`,
  `bare:${hashApiKey(KEYS.readOnly)}`,
].join(';');

const TARGETS = '{ targets { target url } }';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function startWithApiKeys(options: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  return startTestGateway({ ...options, env: { AUTH_API_KEYS, ...options.env } });
}

const upstreamRequests = (gateway: TestGateway) =>
  gateway.inventory.requestCount() + gateway.crm.requestCount();

describe('API key authentication', () => {
  it('accepts a configured key in X-API-Key and in Authorization: Bearer, and places the order', async () => {
    running = await startWithApiKeys();
    const viaHeader = await sendGraphQL<{ placeOrder: Payload }>(
      running.url,
      PLACE_ORDER,
      { input: order('o-key-header') },
      { 'x-api-key': KEYS.web },
    );
    const viaBearer = await sendGraphQL<{ placeOrder: Payload }>(
      running.url,
      PLACE_ORDER,
      { input: order('o-key-bearer') },
      { authorization: `Bearer ${KEYS.web}` },
    );
    expect([viaHeader.status, viaHeader.body.data?.placeOrder.status]).toEqual([200, 'SUCCEEDED']);
    expect([viaBearer.status, viaBearer.body.data?.placeOrder.status]).toEqual([200, 'SUCCEEDED']);
  });

  it('answers 401 UNAUTHENTICATED with a Bearer challenge and sends nothing upstream for a missing, wrong or malformed credential', async () => {
    running = await startWithApiKeys();
    const attempts: Record<string, string>[] = [
      {},
      { 'x-api-key': 'fgk_not-a-configured-key' },
      { authorization: 'Bearer fgk_not-a-configured-key' },
      { authorization: `Basic ${Buffer.from(`web:${KEYS.web}`).toString('base64')}` },
      { 'x-api-key': KEYS.web, authorization: `Bearer ${KEYS.ios}` },
      // A valid key under another header's name is no credential at all.
      { 'x-api-token': KEYS.web },
    ];
    for (const headers of attempts) {
      const response = await sendGraphQL(running.url, PLACE_ORDER, { input: order('o-refused') }, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="fanout-gateway"/);
      expect(response.body).toEqual({
        errors: [{ message: 'missing or invalid credentials', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    expect(upstreamRequests(running)).toBe(0);
  });

  it('tells nothing apart in the message: an unknown key and a known client with a wrong key read the same', async () => {
    running = await startWithApiKeys();
    const unknown = await sendGraphQL(running.url, TARGETS, {}, { 'x-api-key': 'fgk_unknown' });
    const nearMiss = await sendGraphQL(running.url, TARGETS, {}, { 'x-api-key': `${KEYS.ops}x` });
    expect(nearMiss.body).toEqual(unknown.body);
    expect(nearMiss.headers.get('www-authenticate')).toBe(unknown.headers.get('www-authenticate'));
  });

  it('refuses placeOrder and placeOrders to a caller without orders:write: FORBIDDEN naming the scope, HTTP 403, nothing sent', async () => {
    running = await startWithApiKeys();
    const single = await sendGraphQL(
      running.url,
      PLACE_ORDER,
      { input: order('o-no-scope') },
      {
        'x-api-key': KEYS.readOnly,
      },
    );
    const batch = await sendGraphQL(
      running.url,
      'mutation($inputs: [PlaceOrderInput!]!) { placeOrders(inputs: $inputs) { status } }',
      { inputs: [order('o-no-scope-1'), order('o-no-scope-2')] },
      { 'x-api-key': KEYS.readOnly },
    );
    for (const response of [single, batch]) {
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer error="insufficient_scope", scope="orders:write"',
      );
      expect(response.body.data).toBeNull();
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('orders:write'),
          extensions: expect.objectContaining({ code: 'FORBIDDEN', scope: 'orders:write' }),
        }),
      ]);
    }
    expect(upstreamRequests(running)).toBe(0);
  });

  it('shows Query.targets, with its upstream URLs, only to callers with targets:read', async () => {
    running = await startWithApiKeys();
    const writer = await sendGraphQL(running.url, TARGETS, {}, { 'x-api-key': KEYS.web });
    const operator = await sendGraphQL<{ targets: { target: string; url: string }[] }>(
      running.url,
      TARGETS,
      {},
      {
        'x-api-key': KEYS.ops,
      },
    );
    expect(writer.status).toBe(403);
    expect(writer.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'targets:read' });
    expect(JSON.stringify(writer.body)).not.toContain(running.inventory.url);
    expect(operator.status).toBe(200);
    expect(operator.body.data?.targets.map((target) => target.url)).toEqual([
      running.inventory.url,
      running.crm.url,
    ]);
  });

  it('scopes idempotency keys to the authenticated client: naming another client in apollographql-client-name replays nothing of theirs', async () => {
    running = await startWithApiKeys();
    const input = order('o-spoof', { items: [{ sku: 'SKU-RED-MUG', quantity: 1 }] });
    const options = { idempotencyKey: 'shared-key' };
    const fromIos = await sendGraphQL<{ placeOrder: Payload }>(
      running.url,
      PLACE_ORDER,
      { input, options },
      {
        'x-api-key': KEYS.ios,
        'apollographql-client-name': 'ios',
      },
    );
    // web authenticates as itself and claims to be ios: it must get its own record, not ios's payload.
    const spoofed = await sendGraphQL<{ placeOrder: Payload }>(
      running.url,
      PLACE_ORDER,
      { input, options },
      {
        'x-api-key': KEYS.web,
        'apollographql-client-name': 'ios',
      },
    );
    expect(fromIos.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(spoofed.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(spoofed.headers.get('idempotent-replayed')).toBeNull();
    expect(spoofed.body.data?.placeOrder.inventory).toMatchObject({ replayed: false });
    const deductionOf = (payload?: Payload) => payload?.inventory.deductionId;
    expect(deductionOf(spoofed.body.data?.placeOrder)).not.toBe(deductionOf(fromIos.body.data?.placeOrder));
    const remaining = (payload?: Payload) =>
      (payload?.inventory.items as { remaining: number }[] | undefined)?.[0]?.remaining;
    expect(remaining(spoofed.body.data?.placeOrder)).toBe(
      (remaining(fromIos.body.data?.placeOrder) ?? 0) - 1,
    );
    expect(running.inventory.requestCount()).toBe(2);
    expect(running.crm.requestCount()).toBe(2);

    // Each client still gets its own record replayed.
    const webAgain = await sendGraphQL<{ placeOrder: Payload }>(
      running.url,
      PLACE_ORDER,
      { input, options },
      {
        'x-api-key': KEYS.web,
      },
    );
    expect(webAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(webAgain.body.data).toEqual(spoofed.body.data);
    expect(running.inventory.requestCount()).toBe(2);
  });

  it('logs the authenticated client id on the request line, the client-name header only as a display name, and never the key', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      { level: 'info', format: 'json' },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    running = await startWithApiKeys({ logger });
    await sendGraphQL(
      running.url,
      PLACE_ORDER,
      { input: order('o-logged') },
      {
        'x-api-key': KEYS.web,
        'apollographql-client-name': 'ios',
      },
    );
    await sendGraphQL(
      running.url,
      PLACE_ORDER,
      { input: order('o-refused') },
      { 'x-api-key': 'fgk_wrong-S3CRET' },
    );

    const completed = lines.filter((line) => line.msg === 'request completed' && line.url === '/graphql');
    expect(completed[0]).toMatchObject({ statusCode: 200, clientId: 'web', clientName: 'ios' });
    expect(completed[1]).toMatchObject({ statusCode: 401 });
    expect(completed[1]).not.toHaveProperty('clientId');
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'authentication failed',
        authFailure: 'X-API-Key matches no configured key',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'authentication is on: api-keys',
        apiKeyClients: ['web', 'ios', 'ops', 'bare'],
      }),
    );
    const text = JSON.stringify(lines);
    for (const key of [...Object.values(KEYS), 'fgk_wrong-S3CRET']) expect(text).not.toContain(key);
  });

  it('serves Sandbox to a browser GET without credentials, yet runs no operation for an unauthenticated GET', async () => {
    running = await startWithApiKeys();
    const page = await fetch(running.url, { headers: { accept: 'text/html' } });
    expect([page.status, page.headers.get('content-type')]).toEqual([
      200,
      expect.stringContaining('text/html'),
    ]);

    const query = `${running.url}?query=${encodeURIComponent(TARGETS)}`;
    const plain = await fetch(query, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    // Mentions text/html, so the hook lets it pass as a page request, but Apollo prefers JSON and would run it.
    const sly = await fetch(query, {
      headers: { accept: 'text/html;q=0.1, application/json', 'apollo-require-preflight': 'true' },
    });
    for (const response of [plain, sly]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await response.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
      expect(body.data).toBeUndefined();
      expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('authentication off (the default outside production)', () => {
  it('says so at start, takes the client from apollographql-client-name and grants every scope', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      { level: 'info', format: 'json' },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    running = await startTestGateway({ logger });
    const targets = await sendGraphQL(running.url, TARGETS);
    await sendGraphQL(
      running.url,
      PLACE_ORDER,
      { input: order('o-open') },
      { 'apollographql-client-name': 'web' },
    );

    expect(targets.status).toBe(200);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 30,
        authMode: 'none',
        msg: expect.stringMatching(/^authentication is OFF/),
      }),
    );
    const completed = lines.filter((line) => line.msg === 'request completed' && line.url === '/graphql');
    expect(completed.map((line) => line.clientId)).toEqual(['anonymous', 'web']);
  });
});
