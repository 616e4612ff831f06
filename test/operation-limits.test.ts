// Operation limits: oversized, deep, aliased or multi-write documents are coded client errors, and nothing reaches an upstream.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

type GraphQLErrors = { message: string; extensions?: Record<string, unknown> }[] | undefined;

/** Every Delivery field and every DeliveryResult member: what an operator's dashboard asks for. */
const FULL_DELIVERIES_PAGE = `query FullPage {
  deliveries(first: 500, filter: { state: DEAD }) {
    edges { cursor node {
      id orderId target kind state attempts createdAt updatedAt nextAttemptAt deliveredAt lastFailure cancelRequested
      result {
        __typename
        ... on StockDeducted { deductionId items { sku quantity remaining } replayed attempts }
        ... on ActivityLogged { activityId loggedAt replayed attempts }
        ... on WriteUndone { writeWasApplied httpStatus replayed }
      }
    } }
    pageInfo { endCursor hasNextPage }
  }
}`;

const EXAMPLE_OPERATION = readFileSync(
  new URL('../examples/client/place-order.graphql', import.meta.url),
  'utf8',
);

function upstreamRequests(gateway: TestGateway): number {
  return gateway.inventory.requestCount() + gateway.crm.requestCount();
}

function limitNames(errors: GraphQLErrors): unknown[] {
  return (errors ?? []).map((error) => error.extensions?.limitName);
}

/** An error over `limitName` (outside production, extensions also carry a stacktrace). */
function limitError(limitName: string, limit: number, message?: string) {
  return expect.objectContaining({
    ...(message ? { message } : {}),
    extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limitName, limit }),
  });
}

function expectAllLimitExceeded(errors: GraphQLErrors): void {
  expect(errors?.length).toBeGreaterThan(0);
  for (const error of errors ?? []) expect(error.extensions?.code).toBe('LIMIT_EXCEEDED');
}

describe('operation limits at their defaults', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('refuses 50 aliased placeOrder fields with LIMIT_EXCEEDED and sends nothing upstream', async () => {
    const aliases = Array.from(
      { length: 50 },
      (_, index) => `a${index}: placeOrder(input: $input) { status }`,
    );
    const response = await gateway.graphql(
      `mutation Many($input: PlaceOrderInput!) { ${aliases.join(' ')} }`,
      { input: order('aliased') },
    );

    expect(response.status).toBe(400);
    expect(response.body.data ?? null).toBeNull();
    expectAllLimitExceeded(response.body.errors);
    expect(limitNames(response.body.errors)).toEqual(
      expect.arrayContaining(['maxAliases', 'maxMutationFields']),
    );
    expect(response.body.errors?.map((error) => error.message)).toContain(
      'Aliases limit of 15 exceeded, found 50.',
    );
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('refuses two write root fields in one mutation, naming both, and sends nothing upstream', async () => {
    const response = await gateway.graphql(
      `mutation Two($input: PlaceOrderInput!, $inputs: [PlaceOrderInput!]!) {
        placeOrder(input: $input) { status }
        placeOrders(inputs: $inputs) { status }
      }`,
      { input: order('two-a'), inputs: [order('two-b')] },
    );

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      limitError(
        'maxMutationFields',
        1,
        'A mutation may have one root field; this one has 2 (placeOrder, placeOrders). ' +
          'Send several orders with one placeOrders, or one mutation per request.',
      ),
    ]);
    expect(response.body.errors?.[0]).toMatchObject({ locations: [{ line: 3, column: 9 }] });
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('counts root fields reached through fragments, and aliases of the same field', async () => {
    const response = await gateway.graphql(
      `mutation Hidden($input: PlaceOrderInput!) { ...First ... on Mutation { again: placeOrder(input: $input) { status } } }
       fragment First on Mutation { placeOrder(input: $input) { status } }`,
      { input: order('hidden') },
    );

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toContain('this one has 2 (');
    expect(limitNames(response.body.errors)).toEqual(['maxMutationFields']);
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('lets __typename sit beside the one write root field', async () => {
    const response = await gateway.graphql<{ __typename: string; placeOrder: Payload }>(
      'mutation Typed($input: PlaceOrderInput!) { __typename placeOrder(input: $input) { status } }',
      { input: order('typed') },
    );

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ __typename: 'Mutation', placeOrder: { status: 'SUCCEEDED' } });
  });

  it('runs the full selection sets of the test suite and the example client', async () => {
    const single = await gateway.graphql<{ placeOrder: Payload }>(PLACE_ORDER, { input: order('full') });
    const example = await gateway.graphql<{ placeOrder: Payload }>(EXAMPLE_OPERATION, {
      input: order('example'),
    });

    expect(single.body.errors).toBeUndefined();
    expect(single.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(example.body.errors).toBeUndefined();
    expect(example.body.data?.placeOrder.status).toBe('SUCCEEDED');
  });

  it("lists a full page of deliveries with every field and every result member under the default limits (an operator's query)", async () => {
    const listing = await gateway.graphql<{ deliveries: { edges: unknown[] } }>(FULL_DELIVERIES_PAGE);

    expect(listing.body.errors).toBeUndefined();
    expect(Array.isArray(listing.body.data?.deliveries.edges)).toBe(true);
  });

  it('still places 1000 orders with one placeOrders and the full selection set', async () => {
    const inputs = Array.from({ length: 1000 }, (_, index) => order(`bulk-${index}`));
    const response = await gateway.graphql<{ placeOrders: Payload[] }>(PLACE_ORDERS, { inputs });

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.placeOrders).toHaveLength(1000);
    expect(response.body.data?.placeOrders.every((payload) => payload.status === 'SUCCEEDED')).toBe(true);
  });

  it('answers a 5000-deep fragment chain with a coded 400, not a 500', async () => {
    const depth = 5000;
    const fragments = Array.from({ length: depth }, (_, index) =>
      index === depth - 1
        ? `fragment F${index} on Query { __typename }`
        : `fragment F${index} on Query { ...F${index + 1} }`,
    );
    const response = await gateway.graphql(`query Chain { ...F0 } ${fragments.join('\n')}`);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      limitError(
        'maxTokens',
        1000,
        "The document has more than 1000 tokens, the gateway's limit: send inputs as variables rather than inline, or split the operation",
      ),
    ]);
  });

  it('refuses a 50,000-alias document at the parser while /healthz keeps answering', async () => {
    const document = `query Flood { ${Array.from({ length: 50_000 }, (_, index) => `a${index}: __typename`).join(' ')} }`;
    expect(document.length).toBeGreaterThan(800_000);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const [flood, health] = await Promise.all([
      gateway.graphql(document),
      fetch(new URL('/healthz', gateway.url)),
    ]);
    lag.disable();

    expect(flood.status).toBe(400);
    expect(limitNames(flood.body.errors)).toEqual(['maxTokens']);
    expect(health.status).toBe(200);
    // Validating this document used to block the event loop for over a second; refusing it takes milliseconds.
    expect(lag.max / 1e6).toBeLessThan(500);
  });

  it('keeps Apollo’s GRAPHQL_PARSE_FAILED for a plain syntax error', async () => {
    const response = await gateway.graphql('query Broken { targets { target }');

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('suggests field names outside production', async () => {
    const response = await gateway.graphql(
      'mutation Typo($input: PlaceOrderInput!) { placeOrder(input: $input) { statuz } }',
      { input: order('typo') },
    );

    expect(response.body.errors?.[0]?.message).toContain('Did you mean "status"?');
  });
});

describe('operation limits from the environment', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  const targetsTwice = 'query Twice { a: targets { target } b: targets { target } }';
  const directives =
    'query Directed { targets @include(if: true) { target @include(if: true) url @include(if: true) } }';

  it.each<{ limitName: string; env: Record<string, string>; query: string; limit: number }>([
    { limitName: 'maxTokens', env: { FANOUT_MAX_TOKENS: '100' }, query: PLACE_ORDER, limit: 100 },
    { limitName: 'maxDepth', env: { FANOUT_MAX_DEPTH: '3' }, query: PLACE_ORDER, limit: 3 },
    { limitName: 'maxCost', env: { FANOUT_MAX_COST: '100' }, query: PLACE_ORDER, limit: 100 },
    { limitName: 'maxAliases', env: { FANOUT_MAX_ALIASES: '1' }, query: targetsTwice, limit: 1 },
    { limitName: 'maxDirectives', env: { FANOUT_MAX_DIRECTIVES: '2' }, query: directives, limit: 2 },
  ])('refuses an operation over $limitName with LIMIT_EXCEEDED', async ({ limitName, env, query, limit }) => {
    gateway = await startTestGateway({ env });
    const response = await gateway.graphql(query, { input: order('limited') });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([limitError(limitName, limit)]);
    expect(upstreamRequests(gateway)).toBe(0);
  });
});

describe('operation limits in production', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ env: { NODE_ENV: 'production', AUTH_MODE: 'none' } });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('suggests no field, argument or type names in validation errors', async () => {
    const response = await gateway.graphql(
      'mutation Typos($input: PlaceOrderInputt!) { placeOrder(inputt: $input) { statuz } }',
      { input: order('typos') },
    );

    expect(response.status).toBe(400);
    expect(response.body.errors?.length).toBeGreaterThanOrEqual(3);
    for (const error of response.body.errors ?? []) expect(error.message).not.toContain('Did you mean');
  });

  it('suggests no input field or enum value when coercing variables', async () => {
    const input = { ...order('coerce'), itemz: [] };
    const fieldTypo = await gateway.graphql(PLACE_ORDER, { input });
    const enumTypo = await gateway.graphql(PLACE_ORDER, {
      input: order('coerce'),
      options: { consistency: 'BEST_EFORT' },
    });

    expect(fieldTypo.body.errors?.[0]?.message).toMatch(
      /Field "itemz" is not defined by type "PlaceOrderInput"\.$/,
    );
    expect(enumTypo.body.errors?.[0]?.message).toMatch(
      /Value "BEST_EFORT" does not exist in "Consistency" enum\.$/,
    );
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('keeps the same limits, coded LIMIT_EXCEEDED', async () => {
    const response = await gateway.graphql(
      'mutation Two($input: PlaceOrderInput!) { a: placeOrder(input: $input) { status } b: placeOrder(input: $input) { status } }',
      { input: order('prod-two') },
    );

    expect(response.status).toBe(400);
    expect(limitNames(response.body.errors)).toEqual(['maxMutationFields']);
  });
});
