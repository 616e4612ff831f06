// HTTP hardening: no batching, a coded body limit, slow clients cut by the request timeout, CORS allow-list, CSRF prevention.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER, PLACE_ORDERS } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function upstreamRequests(running: TestGateway): number {
  return running.inventory.requestCount() + running.crm.requestCount();
}

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * Private: opens a raw connection, sends the headers of a POST whose body never completes, then one
 * byte every 100 ms; resolves when the server closes the connection, with what it answered.
 */
function trickleBody(url: string): Promise<{ elapsedMs: number; answer: string }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const startedAt = performance.now();
    let answer = '';
    let drip: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(drip);
      resolve({ elapsedMs: performance.now() - startedAt, answer });
    });
    socket.on('connect', () => {
      socket.write(
        `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{`,
      );
      drip = setInterval(() => socket.write(' '), 100);
    });
    // A generous bound: the default request timeout (30 s) and the old behaviour (>95 s) are both far past it.
    setTimeout(() => {
      clearInterval(drip);
      socket.destroy();
      reject(new Error('the gateway kept the trickling connection open for 10 s'));
    }, 10_000).unref();
  });
}

describe('HTTP batching', () => {
  it('refuses a JSON array of operations with a 400 and sends nothing upstream', async () => {
    gateway = await startTestGateway();
    const operation = { query: PLACE_ORDER, variables: { input: order('batched') } };
    const response = await post(gateway.url, JSON.stringify([operation, operation]), {
      'content-type': 'application/json',
    });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({
      errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(upstreamRequests(gateway)).toBe(0);
  });
});

describe('the body limit', () => {
  it('answers a body over FANOUT_BODY_LIMIT_BYTES with 413 LIMIT_EXCEEDED and sends nothing upstream', async () => {
    gateway = await startTestGateway({ env: { FANOUT_BODY_LIMIT_BYTES: '4096' } });
    const inputs = Array.from({ length: 100 }, (_, index) => order(`big-${index}`));
    const response = await post(gateway.url, JSON.stringify({ query: PLACE_ORDERS, variables: { inputs } }), {
      'content-type': 'application/json',
    });

    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toEqual({
      errors: [
        {
          message: "The request body is larger than 4096 bytes, the gateway's limit: split the request",
          extensions: { code: 'LIMIT_EXCEEDED', limitName: 'bodyLimitBytes', limit: 4096 },
        },
      ],
    });
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('serves a body within the limit', async () => {
    gateway = await startTestGateway({ env: { FANOUT_BODY_LIMIT_BYTES: '4096' } });
    const response = await gateway.graphql<{ placeOrder: Payload }>(PLACE_ORDER, { input: order('small') });

    expect(response.body.data?.placeOrder.status).toBe('SUCCEEDED');
  });
});

describe('the request timeout', () => {
  it('closes a connection that trickles its body once FANOUT_REQUEST_TIMEOUT_MS has passed', async () => {
    gateway = await startTestGateway({ env: { FANOUT_REQUEST_TIMEOUT_MS: '500' } });
    const { elapsedMs, answer } = await trickleBody(gateway.url);

    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsedMs).toBeGreaterThanOrEqual(500);
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('does not cut a mutation that outlasts the request timeout once its body has arrived', async () => {
    gateway = await startTestGateway({
      env: { FANOUT_REQUEST_TIMEOUT_MS: '500', CRM_TIMEOUT_MS: '5000' },
      crm: { latencyMs: 1500 },
    });
    const response = await gateway.graphql<{ placeOrder: Payload }>(PLACE_ORDER, {
      input: order('slow'),
      options: { deadlineMs: 10_000 },
    });

    expect(response.body.data?.placeOrder.status).toBe('SUCCEEDED');
  });
});

describe('CORS', () => {
  const allowed = 'https://app.example.com';
  const json = { 'content-type': 'application/json' };
  const body = JSON.stringify({ query: '{ targets { target } }' });

  it('sends no CORS headers when FANOUT_CORS_ORIGINS is unset', async () => {
    gateway = await startTestGateway();
    const response = await post(gateway.url, body, { ...json, origin: allowed });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows a listed origin, preflight included, and not another one', async () => {
    gateway = await startTestGateway({ env: { FANOUT_CORS_ORIGINS: `${allowed}, http://localhost:5173` } });
    const preflight = await fetch(gateway.url, {
      method: 'OPTIONS',
      headers: {
        origin: allowed,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, idempotency-key',
      },
    });
    const fromAllowed = await post(gateway.url, body, { ...json, origin: allowed });
    const fromOther = await post(gateway.url, body, { ...json, origin: 'https://evil.example' });

    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, idempotency-key');
    expect(fromAllowed.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(fromAllowed.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(fromOther.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CSRF prevention', () => {
  it('refuses a simple text/plain POST without a preflight header, sending nothing upstream', async () => {
    gateway = await startTestGateway({ env: { FANOUT_CORS_ORIGINS: 'https://app.example.com' } });
    const body = JSON.stringify({ query: PLACE_ORDER, variables: { input: order('csrf') } });
    const response = await post(gateway.url, body, {
      'content-type': 'text/plain',
      origin: 'https://app.example.com',
    });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({
      errors: [
        {
          message: expect.stringContaining('Cross-Site Request Forgery'),
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('refuses a GET without a preflight header', async () => {
    gateway = await startTestGateway();
    const response = await fetch(`${gateway.url}?query=${encodeURIComponent('{ targets { target } }')}`);

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Cross-Site Request Forgery');
  });
});
