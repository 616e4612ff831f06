// The /__demo/faults admin routes: break and repair a demo upstream over HTTP, without auth.
import { describe, expect, it } from 'vitest';
import { FAULT_ADMIN_PATH, type InventoryDemoServer } from '../../src/demo/index.js';
import { call, deductBody, inventoryAuth } from './demo-http.js';
import { useDemoServers } from './demo-servers.js';

const start = useDemoServers();
const startInventory = () => start.inventory();

const deduct = (server: InventoryDemoServer) =>
  call(server.url, 'POST', '/inventory/deduct', { headers: inventoryAuth, body: deductBody('o') });

describe('fault admin routes', () => {
  it('replaces the fault settings with PUT and shows them with GET, without auth', async () => {
    const server = await startInventory();
    const put = await call(server.url, 'PUT', FAULT_ADMIN_PATH, {
      body: { failure: { kind: 'status', status: 429, retryAfter: 3 }, paths: ['/inventory/deduct'] },
    });
    const shown = await call(server.url, 'GET', FAULT_ADMIN_PATH);
    const faulted = await deduct(server);

    expect(put.status).toBe(200);
    expect(shown.json()).toEqual({
      settings: { failure: { kind: 'status', status: 429, retryAfter: '3' }, paths: ['/inventory/deduct'] },
      queued: [],
    });
    expect(faulted.status).toBe(429);
    expect(faulted.headers['retry-after']).toBe('3');
  });

  it('resets every fault with DELETE', async () => {
    const server = await startInventory();
    server.faults.set({ failureRate: 1 });
    server.faults.enqueue({ kind: 'hang' });
    const reset = await call(server.url, 'DELETE', FAULT_ADMIN_PATH);

    expect(reset.status).toBe(204);
    expect(server.faults.snapshot()).toEqual({ settings: {}, queued: [] });
    expect((await deduct(server)).status).toBe(201);
  });

  it('enqueues a scripted sequence with POST /__demo/faults/queue', async () => {
    const server = await startInventory();
    const queued = await call(server.url, 'POST', `${FAULT_ADMIN_PATH}/queue`, {
      body: { faults: [{ kind: 'status', status: 503 }, { kind: 'malformed' }] },
    });

    expect(queued.status).toBe(200);
    expect((await deduct(server)).status).toBe(503);
    expect((await deduct(server)).json()).toEqual({ unexpected: true });
    expect((await deduct(server)).status).toBe(201);
  });

  it('refuses invalid settings with 422 naming the field and keeps the old ones', async () => {
    const server = await startInventory();
    server.faults.set({ latencyMs: 1 });
    const answer = await call(server.url, 'PUT', FAULT_ADMIN_PATH, { body: { failureRate: 2 } });
    const unknownKind = await call(server.url, 'PUT', FAULT_ADMIN_PATH, {
      body: { failure: { kind: 'explode' } },
    });

    expect(answer.status).toBe(422);
    expect(answer.json()).toMatchObject({
      error: 'invalid_request',
      message: expect.stringContaining('failureRate'),
    });
    expect(unknownKind.status).toBe(422);
    expect(server.faults.snapshot().settings).toEqual({ latencyMs: 1 });
  });

  it('never faults, delays or records the admin routes themselves', async () => {
    const server = await startInventory();
    server.faults.set({ failureRate: 1, failure: { kind: 'hang' }, latencyMs: 5_000 });
    const shown = await call(server.url, 'GET', FAULT_ADMIN_PATH, { signal: AbortSignal.timeout(2_000) });

    expect(shown.status).toBe(200);
    expect(server.requestCount()).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});
