// Property-based fuzzing of placeOrder/placeOrders arguments and documents against a real gateway over real HTTP.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type DocumentCase, hostileDocument } from './support/fuzz-documents.js';
import {
  expectHealthy,
  expectPlaceOrderPayload,
  graphqlRequest,
  sendAndJudge,
  type Verdict,
} from './support/judge-answer.js';
import {
  coercedId,
  type Labelled,
  labelledPlaceOrdersVariables,
  labelledPlaceOrderVariables,
  validText,
} from './support/labelled-inputs.js';
import { order, type Payload, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Invalid arguments are refused as bad input (or, when too many orders, as a limit), or by the HTTP layer. */
function expectRefusedAsBadInput(verdict: Verdict): void {
  if (verdict.kind === 'refused') return;
  expect(verdict.kind).toBe('errors');
  if (verdict.kind === 'errors') {
    for (const code of verdict.codes) expect(code).toMatch(/^(BAD_USER_INPUT|LIMIT_EXCEEDED)$/);
  }
}

/** Valid arguments are placed; only a fuzzed idempotency key met again with other arguments is refused. */
function expectPlacedUnlessKeyReused(verdict: Verdict): void {
  if (verdict.kind === 'errors') expect(verdict.codes).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  else expect(verdict.kind).toBe('data');
}

describe('fuzzed mutation arguments', () => {
  it('answers every placeOrder argument with a payload or a clear error, calling no upstream for invalid ones', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    await fc.assert(
      fc.asyncProperty(labelledPlaceOrderVariables, async ({ value: variables, valid }) => {
        const { verdict } = await sendAndJudge(gateway, graphqlRequest(PLACE_ORDER, variables), valid);
        if (!valid) return expectRefusedAsBadInput(verdict);
        expectPlacedUnlessKeyReused(verdict);
        if (verdict.kind !== 'data') return;
        const input = variables.input as Record<string, unknown>;
        expectPlaceOrderPayload(verdict.data.placeOrder, coercedId(input.orderId));
      }),
      { numRuns: 150 },
    );
    await expectHealthy(gateway);
  });

  it('answers every placeOrders argument with payloads in input order or a clear error, calling no upstream for invalid ones', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    await fc.assert(
      fc.asyncProperty(labelledPlaceOrdersVariables, async ({ value: variables, valid }) => {
        const { verdict } = await sendAndJudge(gateway, graphqlRequest(PLACE_ORDERS, variables), valid);
        if (!valid) return expectRefusedAsBadInput(verdict);
        expectPlacedUnlessKeyReused(verdict);
        if (verdict.kind !== 'data') return;
        // GraphQL's list coercion makes a lone order a list of one.
        const { inputs } = variables;
        const orders = (Array.isArray(inputs) ? inputs : [inputs]) as Record<string, unknown>[];
        const payloads = verdict.data.placeOrders as unknown[];
        expect(payloads).toHaveLength(orders.length);
        orders.forEach((input, index) => {
          expectPlaceOrderPayload(payloads[index], coercedId(input.orderId));
        });
      }),
      { numRuns: 80 },
    );
    await expectHealthy(gateway);
  });

  it('places orders whose ids and idempotency keys are hostile unicode, handing the ids to both upstreams unchanged', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        validText(128),
        fc.option(validText(255), { nil: undefined }),
        async (orderId, key) => {
          // Keys and upstream keys are scoped per client: a fresh client per run keeps runs from meeting.
          const client = { 'apollographql-client-name': `fuzz-${++run}` };
          const options = { idempotencyKey: key };
          const request = graphqlRequest(PLACE_ORDER, { input: order(orderId), options }, client);
          const { verdict } = await sendAndJudge(gateway, request, true);

          expect(verdict.kind).toBe('data');
          const payload = verdict.kind === 'data' ? (verdict.data.placeOrder as Payload) : undefined;
          expect(payload).toMatchObject({
            orderId,
            status: 'SUCCEEDED',
            inventory: { __typename: 'StockDeducted' },
            crm: { __typename: 'ActivityLogged' },
          });
          expect(gateway.inventory.requests.at(-1)?.body).toMatchObject({ orderId });
          expect(gateway.crm.requests.at(-1)?.body).toMatchObject({ orderId, customerId: 'CUST-1' });
        },
      ),
      { numRuns: 40 },
    );
    await expectHealthy(gateway);
  });

  it('holds the Idempotency-Key header to the rules of options.idempotencyKey, and refuses the two disagreeing', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    // Header values must be Latin-1 without surrounding whitespace for fetch to send them unchanged.
    const headerUnit = fc.constantFrom('a', 'Z', '0', '-', '_', '~', '"', '%', '\u00e9', '\u00ff', '\u00a1');
    const labelledKey = fc.oneof(
      fc.constant<Labelled>({ value: undefined, valid: true }),
      fc
        .oneof(
          fc.string({ unit: headerUnit, maxLength: 8 }),
          fc.constantFrom(254, 255, 256).map((n) => 'k'.repeat(n)),
        )
        .map((key): Labelled => ({ value: key, valid: key.length >= 1 && key.length <= 255 })),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(labelledKey, labelledKey, async (header, option) => {
        const agree =
          header.value === undefined || option.value === undefined || header.value === option.value;
        const valid = header.valid && option.valid && agree;
        const headers: Record<string, string> = { 'apollographql-client-name': `header-fuzz-${++run}` };
        if (typeof header.value === 'string') headers['idempotency-key'] = header.value;
        const options = typeof option.value === 'string' ? { idempotencyKey: option.value } : undefined;
        const request = graphqlRequest(PLACE_ORDER, { input: order(`header-${run}`), options }, headers);
        const { verdict } = await sendAndJudge(gateway, request, valid);
        if (!valid) return expectRefusedAsBadInput(verdict);
        expect(verdict.kind).toBe('data');
      }),
      { numRuns: 60 },
    );
    await expectHealthy(gateway);
  });
});

describe('fuzzed documents', () => {
  it('answers deep, aliased, chained, inline and garbled documents clearly, calling no upstream for invalid orders', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    await fc.assert(
      fc.asyncProperty(hostileDocument, async (document: DocumentCase) => {
        const request = graphqlRequest(document.query, document.variables);
        const { verdict } = await sendAndJudge(gateway, request, document.mayReachUpstream);
        if (document.mustFail) expect(verdict.kind).not.toBe('data');
      }),
      { numRuns: 80 },
    );
    await expectHealthy(gateway);
  });
});
