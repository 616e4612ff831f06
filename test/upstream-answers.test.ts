// Upstreams that answer oddly: reordered or ambiguous batches, answers for another order, huge bodies, absurd Retry-After, echoed credentials.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_INVENTORY_TOKEN } from '../src/demo/index.js';
import { order, type Payload, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import { placeOrderPayload } from './support/place-order-payload.js';
import {
  deductionFor,
  type ScriptedAnswer,
  type ScriptedRequest,
  type ScriptedUpstream,
  startScriptedUpstream,
} from './support/scripted-upstream.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
let inventory: ScriptedUpstream | undefined;
afterEach(async () => {
  await running?.close();
  await inventory?.close();
  running = undefined;
  inventory = undefined;
});

type BatchRequest = { orderId: string; items: { sku: string; quantity: number }[] };

/** A gateway whose Inventory API is a scripted server; CRM stays the demo. */
async function gatewayWithInventory(
  answer: (request: ScriptedRequest) => ScriptedAnswer,
  env: Record<string, string> = {},
): Promise<TestGateway> {
  inventory = await startScriptedUpstream(answer);
  running = await startTestGateway({ inventoryUrl: inventory.url, env });
  return running;
}

/** Answers the batch endpoint with `arrange(results in request order)`. */
function batchAnswer(arrange: (results: { status: number; body: unknown }[]) => unknown[]) {
  return (request: ScriptedRequest): ScriptedAnswer => {
    const requests = request.body.requests as BatchRequest[];
    const results = requests.map((item) => ({ status: 201, body: deductionFor(item) }));
    return { status: 200, body: { results: arrange(results) } };
  };
}

async function placeOrders(gateway: TestGateway, orderIds: string[]): Promise<Payload[]> {
  const response = await gateway.graphql<{ placeOrders: Payload[] }>(PLACE_ORDERS, {
    inputs: orderIds.map((orderId) => order(orderId)),
  });
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.placeOrders ?? [];
}

describe('batch answers are matched to orders by orderId', () => {
  it('credits each order with its own result when the batch answer comes back reversed', async () => {
    const gateway = await gatewayWithInventory(batchAnswer((results) => results.reverse()));
    const payloads = await placeOrders(gateway, ['A', 'B', 'C']);

    expect(payloads.map((payload) => payload.inventory)).toMatchObject([
      { __typename: 'StockDeducted', deductionId: 'ded-A' },
      { __typename: 'StockDeducted', deductionId: 'ded-B' },
      { __typename: 'StockDeducted', deductionId: 'ded-C' },
    ]);
    expect(payloads.map((payload) => payload.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('reports InvalidUpstreamResponse for an order named twice and for the order no result names', async () => {
    const gateway = await gatewayWithInventory(batchAnswer(([a, , c]) => [a, a, c]));
    const payloads = await placeOrders(gateway, ['A', 'B', 'C']);

    expect(payloads[0]?.inventory).toMatchObject({ __typename: 'InvalidUpstreamResponse', httpStatus: 200 });
    expect(payloads[0]?.inventory.message).toContain('more than one result names this order');
    expect(payloads[1]?.inventory).toMatchObject({ __typename: 'InvalidUpstreamResponse' });
    expect(payloads[2]?.inventory).toMatchObject({ __typename: 'StockDeducted', deductionId: 'ded-C' });
  });

  it('reports InvalidUpstreamResponse for the order whose result is missing or names an unknown order', async () => {
    const gateway = await gatewayWithInventory(
      batchAnswer(([a, b]) => [a, { ...b, body: { ...(b?.body as object), orderId: 'Z' } }]),
    );
    const payloads = await placeOrders(gateway, ['A', 'B', 'C']);

    expect(payloads.map((payload) => payload.inventory.__typename)).toEqual([
      'StockDeducted',
      'InvalidUpstreamResponse',
      'InvalidUpstreamResponse',
    ]);
    expect(payloads[1]?.status).toBe('PARTIALLY_SUCCEEDED');
  });

  it('places an error result, which names no order, by position when the answer is in request order', async () => {
    const gateway = await gatewayWithInventory(
      batchAnswer(([a, , c]) => [
        a,
        { status: 409, body: { error: 'insufficient_stock', message: 'no' } },
        c,
      ]),
    );
    const payloads = await placeOrders(gateway, ['A', 'B', 'C']);

    expect(payloads[1]?.inventory).toMatchObject({
      __typename: 'UpstreamRejected',
      httpStatus: 409,
      code: 'insufficient_stock',
    });
    expect(payloads[0]?.inventory.__typename).toBe('StockDeducted');
  });
});

describe('single answers', () => {
  it('reports InvalidUpstreamResponse when the answer is for another order', async () => {
    const gateway = await gatewayWithInventory((request) => ({
      status: 201,
      body: deductionFor({ ...request.body, orderId: 'someone-else' }),
    }));
    const payload = await placeOrderPayload(gateway, 'mine');

    expect(payload.inventory).toMatchObject({ __typename: 'InvalidUpstreamResponse', httpStatus: 201 });
    expect(payload.inventory.message).toContain('someone-else');
    expect(payload.status).toBe('PARTIALLY_SUCCEEDED');
  });
});

describe('answer size', () => {
  const hugeDeduction = (request: ScriptedRequest) => ({
    ...deductionFor(request.body),
    // Unknown properties are allowed by the contract, so this body is valid — just far too big.
    padding: 'x'.repeat(2 * 1024 * 1024),
  });

  it('abandons a contract-valid 2 MB answer with a declared length as InvalidUpstreamResponse', async () => {
    const gateway = await gatewayWithInventory((request) => ({ status: 201, body: hugeDeduction(request) }));
    const payload = await placeOrderPayload(gateway, 'o-1');

    expect(payload.inventory).toMatchObject({ __typename: 'InvalidUpstreamResponse', httpStatus: 201 });
    expect(payload.inventory.message).toContain('over the 1048576-byte limit');
  });

  it('stops reading a streamed answer once it passes the configured limit', async () => {
    const gateway = await gatewayWithInventory(
      (request) => ({
        status: 201,
        chunks: { text: JSON.stringify(hugeDeduction(request)), chunkSize: 16 * 1024 },
      }),
      { INVENTORY_MAX_RESPONSE_BYTES: '65536' },
    );
    const payload = await placeOrderPayload(gateway, 'o-1');

    expect(payload.inventory).toMatchObject({ __typename: 'InvalidUpstreamResponse', httpStatus: 201 });
    expect(payload.inventory.message).toContain('over the 65536-byte limit');
  });

  it('reads a batch answer up to its own, larger limit', async () => {
    const gateway = await gatewayWithInventory(
      batchAnswer((results) => results.map((result) => ({ ...result, padding: 'x'.repeat(40_000) }))),
      { INVENTORY_MAX_RESPONSE_BYTES: '65536' },
    );
    const payloads = await placeOrders(gateway, ['A', 'B', 'C']);
    expect(payloads.map((payload) => payload.inventory.__typename)).toEqual(Array(3).fill('StockDeducted'));
  });
});

describe('what upstreams say back', () => {
  it('clamps a Retry-After of years to one day instead of failing the response', async () => {
    const gateway = await gatewayWithInventory(() => ({
      status: 429,
      headers: { 'retry-after': '31536000000' },
      body: { error: 'rate_limited', message: 'come back next century' },
    }));
    const payload = await placeOrderPayload(gateway, 'o-1');

    expect(payload.inventory).toMatchObject({
      __typename: 'RateLimited',
      retryAfterMs: 86_400_000,
      attempts: 1,
    });
  });

  it('never passes the gateway’s own credential on when an upstream echoes it in an error', async () => {
    // Exposed, so the upstream's text does reach the client: scrubbed of the credential.
    const gateway = await gatewayWithInventory(
      (request) => ({
        status: 401,
        body: {
          error: `bad ${request.headers.authorization}`,
          message: `token ${DEMO_INVENTORY_TOKEN} is revoked`,
        },
      }),
      { INVENTORY_EXPOSE_UPSTREAM_MESSAGES: 'true' },
    );
    const response = await gateway.graphql(PLACE_ORDER, { input: order('o-echo') });

    expect(JSON.stringify(response.body)).not.toContain(DEMO_INVENTORY_TOKEN);
    expect(JSON.stringify(response.body)).toContain('token [redacted] is revoked');
  });
});
