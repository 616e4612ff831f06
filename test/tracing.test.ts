// Span trees from a real gateway with the SDK on (in-memory exporter): success, retry, failure.
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../src/observability/index.js';
import { order, type Payload, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let running: TestGateway | undefined;

beforeAll(async () => {
  tracing = await startTracing({ serviceName: 'fanout-gateway-test' }, exporter);
});
afterAll(async () => {
  await tracing.shutdown();
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  exporter.reset();
});

/** The finished spans of one trace, with helpers to walk parent → children. */
function traceOf(traceId: string) {
  const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const children = (parent: ReadableSpan) =>
    spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);
  const named = (name: string) => spans.filter((span) => span.name === name);
  return { spans, children, named };
}

async function placeOrder(gateway: TestGateway, input = order('o-1'), options?: Record<string, unknown>) {
  const response = await gateway.graphql<{ placeOrder: Payload }>(PLACE_ORDER, { input, options });
  const traceId = (response.body as { extensions?: { traceId?: string } }).extensions?.traceId;
  if (!traceId) throw new Error(`no extensions.traceId: ${JSON.stringify(response.body)}`);
  return { payload: response.body.data?.placeOrder, traceId };
}

describe('tracing', () => {
  it('records operation → fan-out → target call → attempt spans for a success', async () => {
    running = await startTestGateway();
    const { traceId } = await placeOrder(running, order('o-1'), { idempotencyKey: 'very-secret-client-key' });
    const { spans, children, named } = traceOf(traceId);

    const [operation] = named('mutation PlaceOrder');
    if (!operation) throw new Error(`no operation span among ${spans.map((span) => span.name)}`);
    expect(operation.parentSpanContext).toBeUndefined();
    expect(operation.attributes).toMatchObject({
      'graphql.operation.name': 'PlaceOrder',
      'graphql.operation.type': 'mutation',
    });
    const [fanout] = children(operation);
    expect(fanout?.name).toBe('fanout placeOrder');
    expect(fanout?.attributes).toMatchObject({ 'fanout.order_id': 'o-1', 'fanout.status': 'SUCCEEDED' });
    if (!fanout) throw new Error('no fan-out span');
    const calls = children(fanout).sort((a, b) => a.name.localeCompare(b.name));
    expect(calls.map((span) => span.name)).toEqual(['crm /crm/log_activity', 'inventory /inventory/deduct']);
    for (const call of calls) {
      expect(call.attributes).toMatchObject({
        'fanout.attempts': 1,
        'fanout.outcome_kind': 'success',
        'fanout.circuit_state': 'CLOSED',
      });
      expect(call.attributes['fanout.idempotency_key_hash']).toMatch(/^fgw_/);
      const [attempt] = children(call);
      expect(attempt?.attributes).toMatchObject({
        'http.request.method': 'POST',
        'http.response.status_code': 201,
        'fanout.attempt': 1,
        'fanout.outcome_kind': 'success',
      });
      expect(String(attempt?.attributes['url.full'])).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/(inventory|crm)\//,
      );
    }
    expect(spans).toHaveLength(6);
    const everything = JSON.stringify(spans.map((span) => span.attributes));
    expect(everything).not.toContain('very-secret-client-key');
    expect(everything).not.toContain('demo-inventory-token');
    expect(everything).not.toContain('demo-crm-key');
  });

  it('records one attempt span per retry, the failed one marked as an error', async () => {
    running = await startTestGateway();
    running.crm.faults.enqueue({ kind: 'status', status: 503 });
    const { traceId } = await placeOrder(running);
    const { named, children } = traceOf(traceId);

    const [call] = named('crm /crm/log_activity');
    if (!call) throw new Error('no CRM call span');
    expect(call.attributes).toMatchObject({ 'fanout.attempts': 2, 'fanout.outcome_kind': 'success' });
    const attempts = children(call).sort(
      (a, b) => Number(a.attributes['fanout.attempt']) - Number(b.attributes['fanout.attempt']),
    );
    expect(attempts.map((span) => span.attributes['http.response.status_code'])).toEqual([503, 201]);
    expect(attempts.map((span) => span.status.code)).toEqual([2, 0]);
    expect(attempts[0]?.attributes['fanout.outcome_kind']).toBe('unavailable');
  });

  it('marks the target call and the fan-out as errors when a target fails', async () => {
    running = await startTestGateway({ inventory: { stock: { 'SKU-LIMITED': 1 } } });
    const { traceId, payload } = await placeOrder(
      running,
      order('o-3', { items: [{ sku: 'SKU-LIMITED', quantity: 2 }] }),
    );
    const { named } = traceOf(traceId);

    expect(payload?.status).toBe('PARTIALLY_SUCCEEDED');
    const [call] = named('inventory /inventory/deduct');
    expect(call?.status).toMatchObject({ code: 2, message: expect.stringContaining('409') });
    expect(call?.attributes['fanout.outcome_kind']).toBe('rejected');
    const [fanout] = named('fanout placeOrder');
    expect(fanout?.status).toMatchObject({ code: 2, message: 'PARTIALLY_SUCCEEDED' });
  });

  it('hangs a batch call off the operation, linked to every order it serves', async () => {
    running = await startTestGateway();
    const response = await running.graphql<{ placeOrders: Payload[] }>(PLACE_ORDERS, {
      inputs: [order('b-1'), order('b-2')],
    });
    const traceId = (response.body as { extensions?: { traceId?: string } }).extensions?.traceId ?? '';
    const { named } = traceOf(traceId);

    const [operation] = named('mutation PlaceOrders');
    const orders = named('fanout placeOrder');
    const [batch] = named('inventory /inventory/deduct/batch');
    expect(orders).toHaveLength(2);
    expect(batch?.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
    expect(batch?.links.map((link) => link.context.spanId).sort()).toEqual(
      orders.map((span) => span.spanContext().spanId).sort(),
    );
  });

  it('starts each queued delivery attempt in a trace of its own, linked to the mutation that accepted it', async () => {
    running = await startTestGateway({ env: { DELIVERY_POLL_INTERVAL_MS: '20' } });
    const response = await running.graphql<{ placeOrder: Payload }>(
      'mutation PlaceAsync($input: PlaceOrderInput!) { placeOrder(input: $input, options: { delivery: ASYNC }) { status } }',
      { input: order('async-traced') },
    );
    expect(response.body.data?.placeOrder.status).toBe('ACCEPTED');
    const traceId = (response.body as { extensions?: { traceId?: string } }).extensions?.traceId ?? '';
    const deliverySpans = () =>
      exporter
        .getFinishedSpans()
        .filter(
          (span) => span.name.startsWith('deliver ') && span.attributes['fanout.order_id'] === 'async-traced',
        );
    await waitUntil(() => deliverySpans().length === 2, 'both targets delivered the accepted order');

    const [operation] = traceOf(traceId).named('mutation PlaceAsync');
    for (const span of deliverySpans()) {
      expect(span.spanContext().traceId).not.toBe(traceId);
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.attributes['fanout.delivery_id']).toMatch(/^dlv_/);
      expect(span.links.map((link) => link.context.traceId)).toEqual([traceId]);
      expect(span.links[0]?.context.spanId).toBeDefined();
    }
    expect(operation).toBeDefined();
  });
});
