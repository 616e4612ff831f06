// Bad requests are GraphQL errors with a clear message and a stable code, and nothing reaches an upstream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { order, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ env: { FANOUT_MAX_ORDERS: '5' } });
});
afterAll(async () => {
  await gateway.close();
});

async function expectRejected(
  query: string,
  variables: Record<string, unknown>,
  code: string,
  message: string | RegExp,
) {
  const before = gateway.inventory.requestCount() + gateway.crm.requestCount();
  const response = await gateway.graphql(query, variables);
  expect(response.body.data ?? null).toBeNull();
  expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
  expect(response.body.errors?.[0]?.message).toMatch(message);
  expect(gateway.inventory.requestCount() + gateway.crm.requestCount()).toBe(before);
}

describe('input validation', () => {
  it('rejects quantity 0 naming the field, without calling any upstream', async () => {
    const input = order('o-1', { items: [{ sku: 'SKU-RED-MUG', quantity: 0 }] });
    await expectRejected(
      PLACE_ORDER,
      { input },
      'BAD_USER_INPUT',
      'input.items[0].quantity: must be at least 1',
    );
  });

  it('rejects an order without items', async () => {
    await expectRejected(
      PLACE_ORDER,
      { input: order('o-2', { items: [] }) },
      'BAD_USER_INPUT',
      'input.items: must contain at least one item',
    );
  });

  it('rejects an empty order id', async () => {
    await expectRejected(
      PLACE_ORDER,
      { input: order('') },
      'BAD_USER_INPUT',
      'input.orderId: must not be empty',
    );
  });

  it('rejects a whole placeOrders call when one order is invalid, sending none of them', async () => {
    const inputs = [order('o-3'), order('o-4', { items: [{ sku: 'SKU-RED-MUG', quantity: 10_001 }] })];
    await expectRejected(
      PLACE_ORDERS,
      { inputs },
      'BAD_USER_INPUT',
      'inputs[1].items[0].quantity: must be at most 10000',
    );
  });

  it('rejects duplicate order ids in one placeOrders call', async () => {
    await expectRejected(
      PLACE_ORDERS,
      { inputs: [order('same'), order('same')] },
      'BAD_USER_INPUT',
      /inputs\[1\]\.orderId: duplicates inputs\[0\]/,
    );
  });

  it('rejects more orders than the configured limit with LIMIT_EXCEEDED', async () => {
    const inputs = Array.from({ length: 6 }, (_, index) => order(`o-${index}`));
    await expectRejected(PLACE_ORDERS, { inputs }, 'LIMIT_EXCEEDED', '6 orders exceed the limit of 5');
  });

  it('rejects a consistency that is not one of the enum values', async () => {
    await expectRejected(
      PLACE_ORDER,
      { input: order('o-5'), options: { consistency: 'MOSTLY' } },
      'BAD_USER_INPUT',
      /Consistency/,
    );
  });

  it('rejects a deadline below 50 ms, too short for any attempt', async () => {
    await expectRejected(
      PLACE_ORDER,
      { input: order('o-6'), options: { deadlineMs: 49 } },
      'BAD_USER_INPUT',
      'options.deadlineMs: must be at least 50',
    );
  });

  it('reports a variable of the wrong type as BAD_USER_INPUT', async () => {
    const input = order('o-7', { items: [{ sku: 'SKU-RED-MUG', quantity: 'two' }] });
    await expectRejected(PLACE_ORDER, { input }, 'BAD_USER_INPUT', /quantity/);
  });

  it('reports a query that does not match the schema as GRAPHQL_VALIDATION_FAILED', async () => {
    await expectRejected(
      'mutation { placeOrder(input: {orderId: "x"}) { nope } }',
      {},
      'GRAPHQL_VALIDATION_FAILED',
      /nope|customerId|items/,
    );
  });
});
