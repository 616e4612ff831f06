// placeOrder end to end: real demo upstreams on loopback, every outcome a typed union member.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options?: Parameters<typeof startTestGateway>[0]) {
  running = await startTestGateway(options);
  return running;
}

async function placeOrder(
  gateway: TestGateway,
  input: Record<string, unknown>,
  options?: Record<string, unknown>,
) {
  const response = await gateway.graphql<{ placeOrder: Payload }>(PLACE_ORDER, { input, options });
  expect(response.body.errors).toBeUndefined();
  const payload = response.body.data?.placeOrder;
  if (!payload) throw new Error(`no payload: ${JSON.stringify(response.body)}`);
  return payload;
}

/** A loopback port that nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

describe('placeOrder', () => {
  it('deducts stock and logs the activity, answering both success members and SUCCEEDED', async () => {
    const gateway = await start({ inventory: { stock: { 'SKU-RED-MUG': 10 } } });
    const payload = await placeOrder(gateway, order('o-1', { items: [{ sku: 'SKU-RED-MUG', quantity: 3 }] }));

    expect(payload.status).toBe('SUCCEEDED');
    expect(payload.inventory).toMatchObject({
      __typename: 'StockDeducted',
      replayed: false,
      items: [{ sku: 'SKU-RED-MUG', quantity: 3, remaining: 7 }],
    });
    expect(payload.inventory.deductionId).toEqual(expect.any(String));
    expect(payload.crm).toMatchObject({ __typename: 'ActivityLogged', replayed: false });
    expect(gateway.inventory.stockOf('SKU-RED-MUG')).toBe(7);
    expect(gateway.crm.activitiesOf('CUST-1')).toHaveLength(1);
  });

  it('sends the contracts’ credentials and bodies to each upstream', async () => {
    const gateway = await start();
    await placeOrder(gateway, order('o-2'));

    const [deduct] = gateway.inventory.requests;
    expect(deduct?.path).toBe('/inventory/deduct');
    expect(deduct?.headers.authorization).toBe('Bearer demo-inventory-token');
    expect(deduct?.body).toEqual({ orderId: 'o-2', items: [{ sku: 'SKU-RED-MUG', quantity: 1 }] });
    const [log] = gateway.crm.requests;
    expect(log?.path).toBe('/crm/log_activity');
    expect(log?.headers['x-api-key']).toBe('demo-crm-key');
    expect(log?.body).toMatchObject({ customerId: 'CUST-1', orderId: 'o-2', type: 'order_placed' });
  });

  it('returns UpstreamRejected with the upstream code and PARTIALLY_SUCCEEDED when Inventory answers 409', async () => {
    const gateway = await start({ inventory: { stock: { 'SKU-LIMITED': 3 } } });
    const payload = await placeOrder(gateway, order('o-3', { items: [{ sku: 'SKU-LIMITED', quantity: 5 }] }));

    expect(payload.status).toBe('PARTIALLY_SUCCEEDED');
    expect(payload.inventory).toMatchObject({
      __typename: 'UpstreamRejected',
      target: 'INVENTORY',
      httpStatus: 409,
      code: 'insufficient_stock',
      retryable: false,
      attempts: 1,
    });
    expect(payload.crm.__typename).toBe('ActivityLogged');
    expect(gateway.inventory.stockOf('SKU-LIMITED')).toBe(3);
  });

  it('returns UpstreamUnavailable (retryable, nothing sent) when the CRM port is closed', async () => {
    const gateway = await start({ crmUrl: `http://127.0.0.1:${await closedPort()}` });
    const payload = await placeOrder(gateway, order('o-4'));

    expect(payload.status).toBe('PARTIALLY_SUCCEEDED');
    expect(payload.inventory.__typename).toBe('StockDeducted');
    expect(payload.crm).toMatchObject({
      __typename: 'UpstreamUnavailable',
      target: 'CRM',
      retryable: true,
      httpStatus: null,
    });
    expect(payload.crm.message).toContain('ECONNREFUSED');
  });

  it('returns FAILED when every target fails', async () => {
    const gateway = await start({ crm: { customers: [] }, env: { INVENTORY_MAX_ATTEMPTS: '1' } });
    gateway.inventory.faults.enqueue({ kind: 'status', status: 503 });
    const payload = await placeOrder(gateway, order('o-5'));

    expect(payload.status).toBe('FAILED');
    expect(payload.inventory).toMatchObject({
      __typename: 'UpstreamUnavailable',
      httpStatus: 503,
      retryable: true,
    });
    expect(payload.crm).toMatchObject({
      __typename: 'UpstreamRejected',
      httpStatus: 404,
      code: 'unknown_customer',
    });
  });

  it('returns InvalidUpstreamResponse when a 2xx body breaks the contract', async () => {
    const gateway = await start();
    gateway.crm.faults.enqueue({ kind: 'malformed' });
    const payload = await placeOrder(gateway, order('o-6'));

    expect(payload.status).toBe('PARTIALLY_SUCCEEDED');
    expect(payload.crm).toMatchObject({
      __typename: 'InvalidUpstreamResponse',
      target: 'CRM',
      httpStatus: 201,
      retryable: false,
    });
    expect(payload.crm.message).toContain('breaks its contract');
  });

  it('writes to both targets when the client selects only status', async () => {
    const gateway = await start();
    const response = await gateway.graphql<{ placeOrder: { status: string } }>(
      'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { status } }',
      { input: order('o-7') },
    );

    expect(response.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(gateway.inventory.requestCount('/inventory/deduct')).toBe(1);
    expect(gateway.crm.requestCount('/crm/log_activity')).toBe(1);
  });

  it('sends each target its own derived Idempotency-Key, never the client’s raw key', async () => {
    const gateway = await start();
    await placeOrder(gateway, order('o-8'), { idempotencyKey: 'client-key-1' });

    const inventoryKey = gateway.inventory.requests[0]?.headers['idempotency-key'];
    const crmKey = gateway.crm.requests[0]?.headers['idempotency-key'];
    expect(inventoryKey).toMatch(/^fgw_[\w-]{43}$/);
    expect(crmKey).toMatch(/^fgw_[\w-]{43}$/);
    expect(inventoryKey).not.toBe(crmKey);
    expect(inventoryKey).not.toContain('client-key-1');
  });

  it('derives keys from the order id without a client key, so a repeated order is replayed upstream, not applied twice', async () => {
    const gateway = await start({ inventory: { stock: { 'SKU-RED-MUG': 10 } } });
    const first = await placeOrder(gateway, order('o-9'));
    const second = await placeOrder(gateway, order('o-9'));

    expect(first.inventory).toMatchObject({ __typename: 'StockDeducted', replayed: false });
    expect(second.inventory).toMatchObject({
      __typename: 'StockDeducted',
      replayed: true,
      deductionId: first.inventory.deductionId,
    });
    expect(second.crm).toMatchObject({ __typename: 'ActivityLogged', replayed: true });
    expect(gateway.inventory.stockOf('SKU-RED-MUG')).toBe(9);
    expect(gateway.crm.activitiesOf('CUST-1')).toHaveLength(1);
  });
});
