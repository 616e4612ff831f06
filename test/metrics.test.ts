// /metrics on the operator port after known traffic: every counter matches what the gateway did, exactly.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { order, PLACE_ORDER } from './support/operations.js';
import { parsePrometheus, type Sample, sampleValue } from './support/parse-prometheus.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway;
let samples: Sample[];
let contentType: string | null;

beforeAll(async () => {
  running = await startTestGateway({ inventory: { stock: { 'SKU-RED-MUG': 100, 'SKU-LIMITED': 1 } } });
  await running.graphql(PLACE_ORDER, { input: order('o-1') });
  await running.graphql(PLACE_ORDER, { input: order('o-2') });
  running.crm.faults.enqueue({ kind: 'status', status: 503 });
  await running.graphql(PLACE_ORDER, { input: order('o-3') });
  await running.graphql(PLACE_ORDER, {
    input: order('o-4', { items: [{ sku: 'SKU-LIMITED', quantity: 5 }] }),
  });
  const response = await fetch(`${running.operatorUrl}/metrics`);
  contentType = response.headers.get('content-type');
  samples = parsePrometheus(await response.text());
});
afterAll(async () => {
  await running.close();
});

it('serves /metrics on the operator port only: the public port answers 404', async () => {
  expect(new URL(running.operatorUrl).port).not.toBe(new URL(running.url).port);
  expect((await fetch(`${running.operatorUrl}/metrics`)).status).toBe(200);
  expect((await fetch(running.url.replace(/\/graphql$/, '/metrics'))).status).toBe(404);
});

it('serves the Prometheus text format', () => {
  expect(contentType).toContain('text/plain');
  expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  expect(samples.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
});

it('counts upstream attempts by target and status class', () => {
  const attempts = (target: string, statusClass: string) =>
    sampleValue(samples, 'fanout_upstream_requests_total', { target, status_class: statusClass });
  expect(attempts('inventory', '2xx')).toBe(3);
  expect(attempts('inventory', '4xx')).toBe(1);
  expect(attempts('crm', '2xx')).toBe(4);
  expect(attempts('crm', '5xx')).toBe(1);
  expect(sampleValue(samples, 'fanout_retries_total', { target: 'crm' })).toBe(1);
  expect(sampleValue(samples, 'fanout_retries_total', { target: 'inventory' })).toBe(0);
});

it('records attempt durations by outcome', () => {
  const count = (target: string, outcome: string) =>
    sampleValue(samples, 'fanout_upstream_request_duration_seconds_count', { target, outcome });
  expect(count('crm', 'success')).toBe(4);
  expect(count('crm', 'unavailable')).toBe(1);
  expect(count('inventory', 'rejected')).toBe(1);
  expect(
    sampleValue(samples, 'fanout_upstream_request_duration_seconds_bucket', {
      target: 'crm',
      outcome: 'success',
      le: '+Inf',
    }),
  ).toBe(4);
});

it("counts each order's final outcome per target and each fan-out's duration by status", () => {
  expect(sampleValue(samples, 'fanout_outcomes_total', { target: 'inventory', kind: 'success' })).toBe(3);
  expect(sampleValue(samples, 'fanout_outcomes_total', { target: 'inventory', kind: 'rejected' })).toBe(1);
  expect(sampleValue(samples, 'fanout_outcomes_total', { target: 'crm', kind: 'success' })).toBe(4);
  expect(sampleValue(samples, 'fanout_mutation_duration_seconds_count', { status: 'SUCCEEDED' })).toBe(3);
  expect(
    sampleValue(samples, 'fanout_mutation_duration_seconds_count', { status: 'PARTIALLY_SUCCEEDED' }),
  ).toBe(1);
});

it('reports each circuit as closed and nothing in flight', () => {
  for (const target of ['inventory', 'crm']) {
    expect(
      samples.find((sample) => sample.name === 'fanout_circuit_state' && sample.labels.target === target)
        ?.value,
    ).toBe(0);
    expect(
      samples.find((sample) => sample.name === 'fanout_inflight' && sample.labels.target === target)?.value,
    ).toBe(0);
  }
});

it('counts each GraphQL request once by operation and client, however its orders fared upstream', () => {
  const placeOrder = { operation_name: 'PlaceOrder', operation_type: 'mutation', client: 'anonymous' };
  expect(sampleValue(samples, 'fanout_graphql_requests_total', { ...placeOrder, outcome: 'success' })).toBe(
    4,
  );
  expect(sampleValue(samples, 'fanout_graphql_request_duration_seconds_count', placeOrder)).toBe(4);
  expect(
    samples.filter((sample) => sample.name === 'fanout_build_info').map((sample) => sample.value),
  ).toEqual([1]);
});
