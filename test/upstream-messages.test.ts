// What of an upstream's error body reaches the caller (our account and its code) and what only the log gets (its text).
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_INVENTORY_TOKEN } from '../src/demo/index.js';
import { createLogger } from '../src/observability/index.js';
import { order, type Payload, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import {
  type ScriptedAnswer,
  type ScriptedRequest,
  type ScriptedUpstream,
  startScriptedUpstream,
} from './support/scripted-upstream.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

const INTERNALS = "Not enough stock for 'SKU-RED-MUG' in warehouse shard db-eu-7";

let running: TestGateway | undefined;
let inventory: ScriptedUpstream | undefined;
afterEach(async () => {
  await running?.close();
  await inventory?.close();
  running = undefined;
  inventory = undefined;
});

type LogLine = Record<string, unknown>;

/** A gateway whose Inventory API is scripted, logging at info into `lines`; CRM stays the demo. */
async function gatewayWithInventory(
  answer: (request: ScriptedRequest) => ScriptedAnswer,
  env: Record<string, string> = {},
): Promise<{ gateway: TestGateway; lines: LogLine[] }> {
  const lines: LogLine[] = [];
  const logger = createLogger(
    { level: 'info', format: 'json' },
    { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  );
  inventory = await startScriptedUpstream(answer);
  running = await startTestGateway({
    inventoryUrl: inventory.url,
    logger,
    env: { INVENTORY_MAX_ATTEMPTS: '1', ...env },
  });
  return { gateway: running, lines };
}

async function placeOrder(gateway: TestGateway): Promise<{ payload: Payload; raw: string }> {
  const response = await gateway.graphql<{ placeOrder: Payload }>(
    PLACE_ORDER,
    { input: order('o-1') },
    { 'x-request-id': 'req-msg-1' },
  );
  expect(response.body.errors).toBeUndefined();
  const payload = response.body.data?.placeOrder;
  if (!payload) throw new Error(JSON.stringify(response.body));
  return { payload, raw: JSON.stringify(response.body) };
}

const insufficientStock = (): ScriptedAnswer => ({
  status: 409,
  body: { error: 'insufficient_stock', message: INTERNALS, sku: 'SKU-RED-MUG' },
});

describe('upstream error text, by default', () => {
  it('answers our own account plus the upstream’s code, never its free-text message', async () => {
    const { gateway } = await gatewayWithInventory(insufficientStock);
    const { payload, raw } = await placeOrder(gateway);

    expect(payload.inventory).toEqual({
      __typename: 'UpstreamRejected',
      target: 'INVENTORY',
      message: 'Inventory API rejected the request (409 insufficient_stock)',
      retryable: false,
      attempts: 1,
      httpStatus: 409,
      code: 'insufficient_stock',
    });
    expect(raw).not.toContain('db-eu-7');
  });

  it('logs the upstream’s message at warn on the attempt line, with the request id, target and status', async () => {
    const { gateway, lines } = await gatewayWithInventory(insufficientStock);
    await placeOrder(gateway);

    const attempt = lines.find((line) => line.msg === 'upstream attempt' && line.target === 'inventory');
    expect(attempt).toMatchObject({
      level: 40,
      requestId: 'req-msg-1',
      target: 'inventory',
      status: 409,
      outcome: 'rejected',
      code: 'insufficient_stock',
      upstreamMessage: INTERNALS,
    });
    const crmAttempt = lines.find((line) => line.msg === 'upstream attempt' && line.target === 'crm');
    expect(crmAttempt).toMatchObject({ level: 30, status: 201 });
    expect(crmAttempt).not.toHaveProperty('upstreamMessage');
  });

  it('keeps 5xx and 429 text out of the answer too', async () => {
    const answers: ScriptedAnswer[] = [
      { status: 503, body: { error: 'maintenance', message: 'failover of db-eu-7 in progress' } },
      { status: 429, body: { error: 'rate_limited', message: 'tenant 42 is over db-eu-7 quota' } },
    ];
    const { gateway } = await gatewayWithInventory(() => answers.shift() ?? { status: 500 });
    const unavailable = await placeOrder(gateway);
    const limited = await placeOrder(gateway);

    expect(unavailable.payload.inventory).toMatchObject({
      __typename: 'UpstreamUnavailable',
      message: 'Inventory API answered 503',
    });
    expect(limited.payload.inventory).toMatchObject({
      __typename: 'RateLimited',
      message: 'Inventory API is rate limiting (429 rate_limited)',
    });
    expect(unavailable.raw + limited.raw).not.toContain('db-eu-7');
  });

  it('passes on `error` as the code only when it is a machine code; free text there is logged, not shown', async () => {
    const { gateway, lines } = await gatewayWithInventory(() => ({
      status: 400,
      body: { error: 'Invalid order: customer CUST-1 is flagged by db-eu-7', message: 'see ticket 123' },
    }));
    const { payload, raw } = await placeOrder(gateway);

    expect(payload.inventory).toMatchObject({
      __typename: 'UpstreamRejected',
      message: 'Inventory API rejected the request (400)',
      code: null,
    });
    expect(raw).not.toContain('db-eu-7');
    const attempt = lines.find((line) => line.msg === 'upstream attempt' && line.target === 'inventory');
    expect(attempt?.upstreamMessage).toBe(
      'Invalid order: customer CUST-1 is flagged by db-eu-7: see ticket 123',
    );
  });

  it('logs each rejected item of a batch at warn, and answers only our account for it', async () => {
    const { gateway, lines } = await gatewayWithInventory(() => ({
      status: 200,
      body: {
        results: [
          { status: 409, body: { error: 'insufficient_stock', message: `${INTERNALS} (A)` } },
          { status: 409, body: { error: 'insufficient_stock', message: `${INTERNALS} (B)` } },
        ],
      },
    }));
    const response = await gateway.graphql<{ placeOrders: Payload[] }>(PLACE_ORDERS, {
      inputs: [order('A'), order('B')],
    });

    expect(response.body.data?.placeOrders.map((payload) => payload.inventory.message)).toEqual([
      'Inventory API rejected the request (409 insufficient_stock)',
      'Inventory API rejected the request (409 insufficient_stock)',
    ]);
    expect(JSON.stringify(response.body)).not.toContain('db-eu-7');
    const items = lines.filter((line) => line.msg === 'upstream batch item');
    expect(items).toEqual([
      expect.objectContaining({
        level: 40,
        target: 'inventory',
        orderId: 'A',
        status: 409,
        upstreamMessage: `${INTERNALS} (A)`,
      }),
      expect.objectContaining({
        level: 40,
        target: 'inventory',
        orderId: 'B',
        status: 409,
        upstreamMessage: `${INTERNALS} (B)`,
      }),
    ]);
  });
});

describe('upstream error text with INVENTORY_EXPOSE_UPSTREAM_MESSAGES=true', () => {
  it('appends the upstream’s message to the failure’s message', async () => {
    const { gateway } = await gatewayWithInventory(insufficientStock, {
      INVENTORY_EXPOSE_UPSTREAM_MESSAGES: 'true',
    });
    const { payload } = await placeOrder(gateway);

    expect(payload.inventory.message).toBe(
      `Inventory API rejected the request (409 insufficient_stock): ${INTERNALS}`,
    );
  });

  it('still scrubs the target’s own credential from what it shows and what it logs', async () => {
    const { gateway, lines } = await gatewayWithInventory(
      (request) => ({
        status: 401,
        body: { error: 'unauthorized', message: `${String(request.headers.authorization)} is revoked` },
      }),
      { INVENTORY_EXPOSE_UPSTREAM_MESSAGES: 'true' },
    );
    const { payload, raw } = await placeOrder(gateway);

    expect(payload.inventory.message).toBe(
      'Inventory API rejected the request (401 unauthorized): Bearer [redacted] is revoked',
    );
    expect(raw).not.toContain(DEMO_INVENTORY_TOKEN);
    expect(JSON.stringify(lines)).not.toContain(DEMO_INVENTORY_TOKEN);
    expect(JSON.stringify(lines)).toContain('Bearer [redacted] is revoked');
  });

  it('leaves the other target’s messages hidden', async () => {
    const { gateway } = await gatewayWithInventory(insufficientStock, {
      CRM_EXPOSE_UPSTREAM_MESSAGES: 'true',
    });
    const { payload } = await placeOrder(gateway);

    expect(payload.inventory.message).toBe('Inventory API rejected the request (409 insufficient_stock)');
  });
});
