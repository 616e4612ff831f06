// placeOrders: one batch call per target per chunk, per-order results in input order, failures isolated.
import { afterEach, describe, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDERS } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function placeOrders(gateway: TestGateway, inputs: Record<string, unknown>[]) {
  const response = await gateway.graphql<{ placeOrders: Payload[] }>(PLACE_ORDERS, { inputs });
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.placeOrders ?? [];
}

const fiftyOrders = () => Array.from({ length: 50 }, (_, index) => order(`o-${index}`));

describe('placeOrders', () => {
  it('sends 50 orders as exactly one batch request per target and answers in input order', async () => {
    running = await startTestGateway();
    const payloads = await placeOrders(running, fiftyOrders());

    expect(payloads.map((payload) => payload.orderId)).toEqual(fiftyOrders().map((input) => input.orderId));
    expect(payloads.every((payload) => payload.status === 'SUCCEEDED')).toBe(true);
    expect(running.inventory.requestCount()).toBe(1);
    expect(running.inventory.requestCount('/inventory/deduct/batch')).toBe(1);
    expect(running.crm.requestCount()).toBe(1);
    expect(running.crm.requestCount('/crm/log_activity/batch')).toBe(1);
    const batch = running.inventory.requests[0]?.body as { requests: { orderId: string }[] };
    expect(batch.requests.map((request) => request.orderId)).toEqual(
      payloads.map((payload) => payload.orderId),
    );
    const deductionIds = new Set(payloads.map((payload) => payload.inventory.deductionId));
    expect(deductionIds.size).toBe(50);
  });

  it('fails only the bad order of a batch', async () => {
    running = await startTestGateway();
    const inputs = fiftyOrders();
    inputs[7] = order('o-7', { items: [{ sku: 'SKU-DOES-NOT-EXIST', quantity: 1 }] });
    inputs[20] = order('o-20', { customerId: 'CUST-UNKNOWN' });
    const payloads = await placeOrders(running, inputs);

    expect(payloads[7]).toMatchObject({
      status: 'PARTIALLY_SUCCEEDED',
      inventory: { __typename: 'UpstreamRejected', httpStatus: 422, code: 'unknown_sku' },
      crm: { __typename: 'ActivityLogged' },
    });
    expect(payloads[20]).toMatchObject({
      status: 'PARTIALLY_SUCCEEDED',
      inventory: { __typename: 'StockDeducted' },
      crm: { __typename: 'UpstreamRejected', httpStatus: 404, code: 'unknown_customer' },
    });
    const others = payloads.filter((_, index) => index !== 7 && index !== 20);
    expect(others.every((payload) => payload.status === 'SUCCEEDED')).toBe(true);
  });

  it('splits batches at the configured maximum size', async () => {
    running = await startTestGateway({ env: { INVENTORY_MAX_BATCH_SIZE: '20' } });
    const payloads = await placeOrders(running, fiftyOrders());

    expect(payloads.every((payload) => payload.status === 'SUCCEEDED')).toBe(true);
    const sizes = running.inventory.requests.map(
      (request) => (request.body as { requests: unknown[] }).requests.length,
    );
    expect(sizes.sort((a, b) => b - a)).toEqual([20, 20, 10]);
    expect(running.crm.requestCount('/crm/log_activity/batch')).toBe(1);
  });

  it('sends bounded parallel single calls to a target whose batch endpoint is turned off', async () => {
    running = await startTestGateway({
      // A roomy deadline and attempt timeout: two waves of 300 ms calls must not time out under load.
      env: {
        CRM_BATCH_ENABLED: 'false',
        CRM_CONCURRENCY: '4',
        CRM_TIMEOUT_MS: '10000',
        FANOUT_DEADLINE_MS: '20000',
      },
      crm: { latencyMs: 300 },
    });
    const payloads = await placeOrders(running, fiftyOrders().slice(0, 8));

    expect(payloads.every((payload) => payload.crm.__typename === 'ActivityLogged')).toBe(true);
    expect(running.crm.requestCount('/crm/log_activity')).toBe(8);
    expect(running.crm.requestCount('/crm/log_activity/batch')).toBe(0);
    // Parallel: the first 4 calls were open at the same time (each is held 300 ms, so they overlap even
    // on a loaded machine). Bounded: never more than 4, though 8 were waiting.
    expect(running.crm.peakInFlight()).toBe(4);
  });

  it('sends a batch of one to the single endpoint', async () => {
    running = await startTestGateway();
    const payloads = await placeOrders(running, [order('only')]);

    expect(payloads[0]?.status).toBe('SUCCEEDED');
    expect(running.inventory.requestCount('/inventory/deduct')).toBe(1);
    expect(running.inventory.requestCount('/inventory/deduct/batch')).toBe(0);
  });

  it('fails with InvalidUpstreamResponse every order the batch results cannot be matched to', async () => {
    running = await startTestGateway();
    // The demo's malformed batch answer: one result too many, none naming an order.
    running.inventory.faults.enqueue({ kind: 'malformed' });
    const payloads = await placeOrders(running, fiftyOrders().slice(0, 5));

    expect(payloads).toHaveLength(5);
    for (const payload of payloads) {
      expect(payload.status).toBe('PARTIALLY_SUCCEEDED');
      expect(payload.inventory).toMatchObject({
        __typename: 'InvalidUpstreamResponse',
        httpStatus: 200,
        retryable: false,
        attempts: 1,
      });
      expect(payload.crm.__typename).toBe('ActivityLogged');
    }
    expect(running.inventory.requestCount('/inventory/deduct/batch')).toBe(1);
  });

  it('matches a reordered batch answer to its orders by the orderId of each result', async () => {
    running = await startTestGateway();
    const inputs = fiftyOrders().slice(0, 4);
    const deduction = (orderId: string) => ({
      orderId,
      deductionId: `ded-${orderId}`,
      items: [{ sku: 'SKU-RED-MUG', quantity: 1, remaining: 100 }],
    });
    const reversed = inputs.map((input) => ({ status: 201, body: deduction(input.orderId) })).reverse();
    running.inventory.faults.enqueue({ kind: 'status', status: 200, body: { results: reversed } });
    const payloads = await placeOrders(running, inputs);

    expect(payloads.map((payload) => payload.orderId)).toEqual(inputs.map((input) => input.orderId));
    for (const payload of payloads) {
      expect(payload.status).toBe('SUCCEEDED');
      expect(payload.inventory).toMatchObject({
        __typename: 'StockDeducted',
        deductionId: `ded-${payload.orderId}`,
      });
    }
    expect(running.inventory.requestCount('/inventory/deduct/batch')).toBe(1);
  });

  it('fails every order of a batch the upstream answers with 503', async () => {
    running = await startTestGateway({ env: { CRM_MAX_ATTEMPTS: '1' } });
    running.crm.faults.enqueue({ kind: 'status', status: 503 });
    const payloads = await placeOrders(running, fiftyOrders().slice(0, 3));

    expect(payloads.map((payload) => payload.crm.__typename)).toEqual(Array(3).fill('UpstreamUnavailable'));
    expect(payloads.map((payload) => payload.status)).toEqual(Array(3).fill('PARTIALLY_SUCCEEDED'));
  });

  it('sends a per-item idempotency key in batch bodies when the client gives a key', async () => {
    running = await startTestGateway();
    const response = await running.graphql<{ placeOrders: Payload[] }>(PLACE_ORDERS, {
      inputs: fiftyOrders().slice(0, 2),
      options: { idempotencyKey: 'batch-key' },
    });

    expect(response.body.data?.placeOrders).toHaveLength(2);
    const batch = running.crm.requests[0]?.body as { activities: { idempotencyKey?: string }[] };
    const keys = batch.activities.map((activity) => activity.idempotencyKey);
    expect(keys.every((key) => key?.startsWith('fgw_'))).toBe(true);
    expect(new Set(keys).size).toBe(2);
  });

  it('answers an empty list with an empty list and calls no upstream', async () => {
    running = await startTestGateway();
    expect(await placeOrders(running, [])).toEqual([]);
    expect(running.inventory.requestCount() + running.crm.requestCount()).toBe(0);
  });
});
