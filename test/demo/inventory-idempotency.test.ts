// Idempotency of the demo Inventory upstream over real HTTP: replays, key reuse, concurrency, batch keys.
import { describe, expect, it } from 'vitest';
import type { InventoryDemoServer } from '../../src/demo/index.js';
import { call, deductBody, inventoryAuth } from './demo-http.js';
import { useDemoServers } from './demo-servers.js';

const start = useDemoServers();
const startInventory = start.inventory;

const deduct = (server: InventoryDemoServer, body: unknown, headers: Record<string, string> = {}) =>
  call(server.url, 'POST', '/inventory/deduct', { body, headers: { ...inventoryAuth, ...headers } });

describe('demo Inventory server idempotency', () => {
  it('replays a repeat with the same Idempotency-Key and body, applying it once', async () => {
    const server = await startInventory({ stock: { A: 10 } });
    const body = deductBody('o-1', [{ sku: 'A', quantity: 4 }]);
    const first = await deduct(server, body, { 'idempotency-key': 'key-1' });
    const reordered = { items: body.items, orderId: body.orderId, ignored: 'unknown property' };
    const second = await deduct(server, reordered, { 'idempotency-key': 'key-1' });

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(server.stockOf('A')).toBe(6);
  });

  it('refuses an Idempotency-Key reused with a different body with 422 idempotency_key_reused', async () => {
    const server = await startInventory({ stock: { A: 10 } });
    await deduct(server, deductBody('o-1', [{ sku: 'A', quantity: 1 }]), { 'idempotency-key': 'key-1' });
    const reused = await deduct(server, deductBody('o-1', [{ sku: 'A', quantity: 2 }]), {
      'idempotency-key': 'key-1',
    });

    expect(reused.status).toBe(422);
    expect(reused.json()).toMatchObject({ error: 'idempotency_key_reused' });
    expect(server.stockOf('A')).toBe(9);
  });

  it('applies concurrent duplicates with the same key only once', async () => {
    const server = await startInventory({ stock: { A: 100 }, latencyMs: 50 });
    const body = deductBody('o-1', [{ sku: 'A', quantity: 1 }]);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => deduct(server, body, { 'idempotency-key': 'same' })),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201));
    expect(answers.filter((answer) => answer.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    expect(new Set(answers.map((answer) => answer.json().deductionId)).size).toBe(1);
    expect(server.stockOf('A')).toBe(99);
  });

  it('gives per-item batch keys the meaning of the header on the single call', async () => {
    const server = await startInventory({ stock: { A: 100 } });
    const order = deductBody('o-1', [{ sku: 'A', quantity: 1 }]);
    const single = await deduct(server, order, { 'idempotency-key': 'k-1' });
    const batch = await call(server.url, 'POST', '/inventory/deduct/batch', {
      headers: inventoryAuth,
      body: {
        requests: [
          { ...order, idempotencyKey: 'k-1' },
          { ...deductBody('o-2', [{ sku: 'A', quantity: 2 }]), idempotencyKey: 'k-1' },
          { ...deductBody('o-3', [{ sku: 'A', quantity: 3 }]), idempotencyKey: 'k-3' },
          { ...deductBody('o-3', [{ sku: 'A', quantity: 3 }]), idempotencyKey: 'k-3' },
        ],
      },
    });

    const { results } = batch.json<{ results: { status: number; body: Record<string, unknown> }[] }>();
    expect(results.map((result) => result.status)).toEqual([201, 422, 201, 201]);
    expect(results[0]?.body).toEqual(single.json());
    expect(results[1]?.body).toMatchObject({ error: 'idempotency_key_reused' });
    expect(results[3]?.body).toEqual(results[2]?.body);
    expect(server.stockOf('A')).toBe(96);
  });

  it('replays a whole batch sent again with the same Idempotency-Key header', async () => {
    const server = await startInventory({ stock: { A: 100 } });
    const body = { requests: [deductBody('o-1', [{ sku: 'A', quantity: 5 }])] };
    const headers = { ...inventoryAuth, 'idempotency-key': 'batch-1' };
    const first = await call(server.url, 'POST', '/inventory/deduct/batch', { headers, body });
    const second = await call(server.url, 'POST', '/inventory/deduct/batch', { headers, body });

    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(server.stockOf('A')).toBe(95);
  });
});
