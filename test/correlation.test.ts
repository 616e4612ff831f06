// Correlation across the hop: traceparent and x-request-id reach both upstreams and come back to the caller.
import { afterEach, describe, expect, it } from 'vitest';
import { order, PLACE_ORDER } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

// No tracing SDK in this file: propagation must work with tracing off too.
let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

async function send(gateway: TestGateway, headers: Record<string, string>) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: PLACE_ORDER, variables: { input: order('o-1') } }),
  });
  const body = (await response.json()) as { extensions?: { traceId?: string } };
  return { requestId: response.headers.get('x-request-id'), traceId: body.extensions?.traceId };
}

const traceIdOf = (traceparent: unknown) => String(traceparent).split('-')[1];

describe('correlation', () => {
  it('continues an incoming traceparent and x-request-id to both upstreams and returns them', async () => {
    running = await startTestGateway();
    const answer = await send(running, { traceparent: INCOMING, 'x-request-id': 'req-abc-123' });

    expect(answer).toEqual({ requestId: 'req-abc-123', traceId: TRACE_ID });
    for (const upstream of [running.inventory, running.crm]) {
      const [request] = upstream.requests;
      expect(request?.headers['x-request-id']).toBe('req-abc-123');
      expect(traceIdOf(request?.headers.traceparent)).toBe(TRACE_ID);
    }
  });

  it('generates a request id when the caller sends none (or an unusable one) and forwards it', async () => {
    running = await startTestGateway();
    const generated = await send(running, {});
    const replaced = await send(running, { 'x-request-id': 'has spaces and is not a token' });

    expect(generated.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(running.crm.requests.map((request) => request.headers['x-request-id'])).toEqual([
      generated.requestId,
      replaced.requestId,
    ]);
    expect(generated.traceId).toBeUndefined();
  });
});
