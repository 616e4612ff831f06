// Fault knobs of the demo upstreams over real HTTP: each fault kind, latency, queue order, path filters.
import { describe, expect, it } from 'vitest';
import type { DemoServer } from '../../src/demo/index.js';
import { activityBody, call, crmAuth, deductBody, inventoryAuth } from './demo-http.js';
import { useDemoServers } from './demo-servers.js';

const start = useDemoServers();
const startInventory = (latencyMs = 0) => start.inventory({ stock: { A: 100 }, latencyMs });
const startCrm = () => start.crm();

const deduct = (server: DemoServer, body: unknown = deductBody('o', [{ sku: 'A', quantity: 1 }])) =>
  call(server.url, 'POST', '/inventory/deduct', { headers: inventoryAuth, body });

/** Resolves true if `promise` settles within `ms`, false otherwise. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  const result = await Promise.race([settled, late]);
  clearTimeout(timer);
  return result;
}

describe('demo upstream faults', () => {
  it('answers an injected status with Retry-After and the default error body, applying nothing', async () => {
    const server = await startInventory();
    server.faults.enqueue({ kind: 'status', status: 429, retryAfter: '2' });
    const answer = await deduct(server);

    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('2');
    expect(answer.json()).toMatchObject({ error: 'injected_fault', message: expect.any(String) });
    expect(server.stockOf('A')).toBe(100);
  });

  it('answers an injected status with a custom body', async () => {
    const server = await startCrm();
    server.faults.enqueue({ kind: 'status', status: 500, body: { oops: 'custom' } });
    const answer = await call(server.url, 'POST', '/crm/log_activity', {
      headers: crmAuth,
      body: activityBody('o'),
    });

    expect(answer.status).toBe(500);
    expect(answer.json()).toEqual({ oops: 'custom' });
  });

  it('drops the connection without an answer once the request has arrived', async () => {
    const server = await startInventory();
    server.faults.enqueue({ kind: 'drop' });

    await expect(deduct(server)).rejects.toThrow();
    expect(server.requestCount('/inventory/deduct')).toBe(1);
    expect(server.stockOf('A')).toBe(100);
  });

  it('applies the write before dropping the connection when afterApply is set', async () => {
    const server = await startInventory();
    server.faults.enqueue({ kind: 'drop', afterApply: true });

    await expect(deduct(server)).rejects.toThrow();
    expect(server.stockOf('A')).toBe(99);
  });

  it('answers the success status with a body that breaks the contract for the malformed fault', async () => {
    const server = await startInventory();
    server.faults.enqueue({ kind: 'malformed' });
    const answer = await deduct(server);

    expect(answer.status).toBe(201);
    expect(answer.json()).toEqual({ unexpected: true });
  });

  it('answers a batch with results of the wrong length for the malformed fault', async () => {
    const server = await startCrm();
    server.faults.enqueue({ kind: 'malformed' });
    const answer = await call(server.url, 'POST', '/crm/log_activity/batch', {
      headers: crmAuth,
      body: { activities: [activityBody('o-1'), activityBody('o-2')] },
    });

    expect(answer.status).toBe(200);
    expect(answer.json<{ results: unknown[] }>().results).toHaveLength(3);
    expect(server.activitiesOf('CUST-1')).toHaveLength(0);
  });

  it('answers the success status with a body that is not JSON for the invalidJson fault', async () => {
    const server = await startInventory();
    server.faults.enqueue({ kind: 'invalidJson' });
    const answer = await deduct(server);

    expect(answer.status).toBe(201);
    expect(answer.headers['content-type']).toContain('application/json');
    expect(() => answer.json()).toThrow(SyntaxError);
  });

  it('never answers for the hang fault, and close() still returns promptly', async () => {
    const server = await startInventory();
    server.faults.enqueue({ kind: 'hang' }, { kind: 'hang' });

    await expect(
      call(server.url, 'POST', '/inventory/deduct', {
        headers: inventoryAuth,
        body: deductBody('o', [{ sku: 'A', quantity: 1 }]),
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow();
    const stillHanging = deduct(server);
    stillHanging.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(await settlesWithin(server.close(), 2_000)).toBe(true);
    await expect(stillHanging).rejects.toThrow();
  });

  it('delays every answer by latencyMs, faults included', async () => {
    const server = await startInventory();
    server.faults.set({ latencyMs: 150 });
    server.faults.enqueue({ kind: 'status', status: 503 });

    const startedAt = performance.now();
    const faulted = await deduct(server);
    const faultedMs = performance.now() - startedAt;
    const normal = await deduct(server);
    const totalMs = performance.now() - startedAt;

    expect(faulted.status).toBe(503);
    expect(normal.status).toBe(201);
    expect(faultedMs).toBeGreaterThanOrEqual(140);
    expect(totalMs).toBeGreaterThanOrEqual(280);
  });

  it('delays answers by the latencyMs given at creation until the settings replace it', async () => {
    const server = await startInventory(120);
    const startedAt = performance.now();
    await deduct(server);

    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(110);
    expect(server.faults.latencyFor('/inventory/deduct', '/inventory/deduct')).toBe(120);
    server.faults.set({ latencyMs: 0 });
    expect(server.faults.latencyFor('/inventory/deduct', '/inventory/deduct')).toBe(0);
    server.faults.reset();
    expect(server.faults.latencyFor('/inventory/deduct', '/inventory/deduct')).toBe(120);
  });

  it('serves queued faults in order before returning to normal answers', async () => {
    const server = await startInventory();
    server.faults.enqueue(
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503, retryAfter: '1' },
      { kind: 'status', status: 429 },
    );
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) statuses.push((await deduct(server)).status);

    expect(statuses).toEqual([503, 503, 429, 201]);
    expect(server.stockOf('A')).toBe(99);
  });

  it('fails every request with 503 when failureRate is 1 and no failure is given', async () => {
    const server = await startInventory();
    server.faults.set({ failureRate: 1 });

    expect((await deduct(server)).status).toBe(503);
    expect((await deduct(server)).status).toBe(503);
    server.faults.set({ failureRate: 0, failure: { kind: 'status', status: 500 } });
    expect((await deduct(server)).status).toBe(201);
  });

  it('limits faults to the listed paths', async () => {
    const server = await startInventory();
    server.faults.set({ failure: { kind: 'status', status: 502 }, paths: ['/inventory/stock/:sku'] });
    server.faults.enqueue({ kind: 'status', status: 504 });

    expect((await deduct(server)).status).toBe(201);
    const stock = await call(server.url, 'GET', '/inventory/stock/A', { headers: inventoryAuth });
    expect(stock.status).toBe(504);
    const again = await call(server.url, 'GET', '/inventory/stock/A', { headers: inventoryAuth });
    expect(again.status).toBe(502);
  });

  it('applies faults before authentication, so unauthenticated requests get them too', async () => {
    const server = await startInventory();
    server.faults.enqueue({ kind: 'status', status: 503 });
    const answer = await call(server.url, 'POST', '/inventory/deduct', { body: deductBody('o') });

    expect(answer.status).toBe(503);
  });
});
