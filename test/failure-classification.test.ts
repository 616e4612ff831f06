// DESIGN.md's failure classification, provoked for real: each upstream answer becomes its union member.
// Retries are off here (one attempt) so each answer is seen as classified; test/retries.test.ts covers them.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../src/demo/index.js';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function crmResultFor(
  fault: Fault,
  env: Record<string, string> = {},
  options?: Record<string, unknown>,
) {
  running ??= await startTestGateway({ env: { CRM_MAX_ATTEMPTS: '1', ...env } });
  running.crm.faults.enqueue(fault);
  const response = await running.graphql<{ placeOrder: Payload }>(PLACE_ORDER, {
    input: order('o-1'),
    options,
  });
  expect(response.body.errors).toBeUndefined();
  const payload = response.body.data?.placeOrder;
  expect(payload?.inventory.__typename).toBe('StockDeducted');
  return payload?.crm;
}

describe('failure classification', () => {
  it.each([400, 401, 403, 404, 409, 422])(
    'maps %i to UpstreamRejected, never retryable, with the body’s code',
    async (status) => {
      const result = await crmResultFor({
        kind: 'status',
        status,
        body: { error: 'some_code', message: 'nope' },
      });
      expect(result).toMatchObject({
        __typename: 'UpstreamRejected',
        target: 'CRM',
        httpStatus: status,
        code: 'some_code',
        retryable: false,
        attempts: 1,
      });
      // The upstream's free text ("nope") goes to the log only, unless CRM_EXPOSE_UPSTREAM_MESSAGES=true.
      expect(result?.message).toBe(`CRM API rejected the request (${status} some_code)`);
    },
  );

  it.each([500, 502, 503, 504])('maps %i to a retryable UpstreamUnavailable', async (status) => {
    const result = await crmResultFor({ kind: 'status', status });
    expect(result).toMatchObject({ __typename: 'UpstreamUnavailable', httpStatus: status, retryable: true });
  });

  it('maps 503 with Retry-After to UpstreamUnavailable carrying retryAfterMs', async () => {
    const result = await crmResultFor({ kind: 'status', status: 503, retryAfter: '2' });
    expect(result).toMatchObject({ __typename: 'UpstreamUnavailable', httpStatus: 503, retryAfterMs: 2000 });
  });

  it('maps 408 to a retryable UpstreamUnavailable', async () => {
    const result = await crmResultFor({ kind: 'status', status: 408 });
    expect(result).toMatchObject({ __typename: 'UpstreamUnavailable', httpStatus: 408, retryable: true });
  });

  it.each([408, 500, 502, 504])(
    'marks %i not retryable when the upstream takes no keys, as the write may have been applied',
    async (status) => {
      const result = await crmResultFor({ kind: 'status', status }, { CRM_IDEMPOTENCY_KEYS: 'false' });
      expect(result).toMatchObject({
        __typename: 'UpstreamUnavailable',
        httpStatus: status,
        retryable: false,
      });
    },
  );

  it('keeps 503 and 429 retryable when the upstream takes no keys, as the contracts say nothing was applied', async () => {
    const noKeys = { CRM_IDEMPOTENCY_KEYS: 'false' };
    expect(await crmResultFor({ kind: 'status', status: 503 }, noKeys)).toMatchObject({
      __typename: 'UpstreamUnavailable',
      retryable: true,
    });
    expect(await crmResultFor({ kind: 'status', status: 429 }, noKeys)).toMatchObject({
      __typename: 'RateLimited',
      retryable: true,
    });
  });

  it('marks a timeout not retryable when the upstream takes no keys', async () => {
    const noKeys = { CRM_TIMEOUT_MS: '200', CRM_IDEMPOTENCY_KEYS: 'false' };
    const result = await crmResultFor({ kind: 'hang' }, noKeys);
    expect(result).toMatchObject({ __typename: 'UpstreamTimeout', retryable: false, attempts: 1 });
  });

  it('maps 429 to RateLimited with Retry-After in seconds converted to milliseconds', async () => {
    const result = await crmResultFor({ kind: 'status', status: 429, retryAfter: '7' });
    expect(result).toMatchObject({ __typename: 'RateLimited', retryable: true, retryAfterMs: 7000 });
  });

  it('maps 429 with an HTTP-date Retry-After to RateLimited', async () => {
    const retryAfter = new Date(Date.now() + 60_000).toUTCString();
    const result = await crmResultFor({ kind: 'status', status: 429, retryAfter });
    expect(result?.__typename).toBe('RateLimited');
    expect(result?.retryAfterMs).toBeGreaterThan(55_000);
    expect(result?.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('maps a connection reset after send to an UpstreamUnavailable that is not retryable when the upstream takes no keys', async () => {
    const result = await crmResultFor({ kind: 'drop' }, { CRM_IDEMPOTENCY_KEYS: 'false' });
    expect(result).toMatchObject({ __typename: 'UpstreamUnavailable', retryable: false, httpStatus: null });
  });

  it('marks a reset after send retryable when the request carried an idempotency key', async () => {
    const result = await crmResultFor({ kind: 'drop' }, {}, { idempotencyKey: 'k-1' });
    expect(result).toMatchObject({ __typename: 'UpstreamUnavailable', retryable: true });
  });

  it('returns UpstreamTimeout when CRM exceeds its attempt timeout', async () => {
    const result = await crmResultFor({ kind: 'hang' }, { CRM_TIMEOUT_MS: '200' });
    expect(result).toMatchObject({
      __typename: 'UpstreamTimeout',
      timeoutMs: 200,
      retryable: true,
      attempts: 1,
    });
    expect(result?.message).toContain('within its attempt timeout');
  });

  it('cuts the attempt timeout to the request’s deadlineMs', async () => {
    // The attempt timeout is far longer than the deadline, so only the deadline can end this wait; the
    // deadline still leaves Inventory (which must succeed) ample time on a loaded machine.
    const startedAt = performance.now();
    const result = await crmResultFor({ kind: 'hang' }, { CRM_TIMEOUT_MS: '30000' }, { deadlineMs: 1000 });
    expect(result).toMatchObject({ __typename: 'UpstreamTimeout', attempts: 1 });
    expect(result?.timeoutMs).toBeGreaterThan(0);
    expect(result?.timeoutMs).toBeLessThanOrEqual(1000);
    expect(result?.message).toContain("did not answer before the request's deadline");
    // Only fails if the 30 s attempt timeout, not the 1 s deadline, ended the wait.
    expect(performance.now() - startedAt).toBeLessThan(10_000);
  });

  it('maps a 2xx body that is not JSON to InvalidUpstreamResponse', async () => {
    const result = await crmResultFor({ kind: 'invalidJson' });
    expect(result).toMatchObject({
      __typename: 'InvalidUpstreamResponse',
      httpStatus: 201,
      retryable: false,
    });
    expect(result?.message).toContain('not JSON');
  });

  it('maps a refused connection to a retryable UpstreamUnavailable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    running = await startTestGateway({ inventoryUrl: `http://127.0.0.1:${port}` });
    const response = await running.graphql<{ placeOrder: Payload }>(PLACE_ORDER, {
      input: order('o-refused'),
    });
    expect(response.body.data?.placeOrder.inventory).toMatchObject({
      __typename: 'UpstreamUnavailable',
      target: 'INVENTORY',
      retryable: true,
    });
  });

  it('maps a wrong credential to UpstreamRejected 401', async () => {
    running = await startTestGateway({ env: { CRM_API_KEY: 'wrong-key' } });
    const response = await running.graphql<{ placeOrder: Payload }>(PLACE_ORDER, { input: order('o-auth') });
    expect(response.body.data?.placeOrder.crm).toMatchObject({
      __typename: 'UpstreamRejected',
      httpStatus: 401,
    });
  });
});
