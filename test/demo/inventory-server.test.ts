// Contract behaviour of the demo Inventory upstream over real HTTP: deduct, batch, restore, stock.
import { describe, expect, it } from 'vitest';
import type { InventoryDemoServer } from '../../src/demo/index.js';
import { call, deductBody, inventoryAuth } from './demo-http.js';
import { useDemoServers } from './demo-servers.js';

const start = useDemoServers();
const startInventory = start.inventory;

const deduct = (server: InventoryDemoServer, body: unknown, headers: Record<string, string> = {}) =>
  call(server.url, 'POST', '/inventory/deduct', { body, headers: { ...inventoryAuth, ...headers } });

describe('demo Inventory server', () => {
  it('deducts stock for an order and answers 201 with the units remaining', async () => {
    const server = await startInventory({ stock: { A: 10, B: 5 } });
    const answer = await deduct(
      server,
      deductBody('order-1', [
        { sku: 'A', quantity: 3 },
        { sku: 'B', quantity: 5 },
      ]),
    );

    expect(answer.status).toBe(201);
    expect(answer.json()).toEqual({
      deductionId: expect.stringMatching(/^ded_/),
      orderId: 'order-1',
      items: [
        { sku: 'A', quantity: 3, remaining: 7 },
        { sku: 'B', quantity: 5, remaining: 0 },
      ],
    });
    expect(server.stockOf('A')).toBe(7);
    expect(server.stockOf('B')).toBe(0);
  });

  it('answers 409 insufficient_stock naming the SKU and leaves every item of the order untouched', async () => {
    const server = await startInventory();
    const order = deductBody('order-1', [
      { sku: 'SKU-RED-MUG', quantity: 1 },
      { sku: 'SKU-LIMITED', quantity: 2 },
      { sku: 'SKU-LIMITED', quantity: 2 },
    ]);
    const answer = await deduct(server, order);

    expect(answer.status).toBe(409);
    expect(answer.json()).toMatchObject({ error: 'insufficient_stock', sku: 'SKU-LIMITED' });
    expect(server.stockOf('SKU-RED-MUG')).toBe(1_000_000_000);
    expect(server.stockOf('SKU-LIMITED')).toBe(3);
  });

  it('refuses an unknown SKU with 422 unknown_sku and deducts nothing', async () => {
    const server = await startInventory({ stock: { A: 10 } });
    const answer = await deduct(
      server,
      deductBody('o', [
        { sku: 'A', quantity: 1 },
        { sku: 'NOPE', quantity: 1 },
      ]),
    );

    expect(answer.status).toBe(422);
    expect(answer.json()).toMatchObject({ error: 'unknown_sku', sku: 'NOPE' });
    expect(server.stockOf('A')).toBe(10);
  });

  it('answers 401 unauthorized without the bearer token or with a wrong one', async () => {
    const server = await startInventory({ token: 'secret' });
    const missing = await call(server.url, 'POST', '/inventory/deduct', { body: deductBody('o') });
    const wrong = await call(server.url, 'GET', '/inventory/stock/SKU-RED-MUG', {
      headers: { authorization: 'Bearer nope' },
    });
    const right = await call(server.url, 'GET', '/inventory/stock/SKU-RED-MUG', {
      headers: { authorization: 'Bearer secret' },
    });

    expect(missing.status).toBe(401);
    expect(missing.json()).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(200);
    expect(server.stockOf('SKU-RED-MUG')).toBe(1_000_000_000);
  });

  it('answers 422 invalid_request naming the field when the body breaks the schema', async () => {
    const server = await startInventory();
    const zero = await deduct(server, { orderId: 'o', items: [{ sku: 'SKU-RED-MUG', quantity: 0 }] });
    const noOrder = await deduct(server, { items: [{ sku: 'SKU-RED-MUG', quantity: 1 }] });
    const notJson = await deduct(server, '{"orderId": ');

    expect(zero.status).toBe(422);
    expect(zero.json()).toMatchObject({ error: 'invalid_request' });
    expect(zero.json<{ message: string }>().message).toContain('items.0.quantity');
    expect(noOrder.json<{ message: string }>().message).toContain('orderId');
    expect(notJson.status).toBe(422);
    expect(notJson.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('ignores unknown properties in the request body', async () => {
    const server = await startInventory();
    const answer = await deduct(server, { ...deductBody('o'), coupon: 'FREE', extra: { nested: true } });

    expect(answer.status).toBe(201);
  });

  it('applies each batch item independently, one result per request in order', async () => {
    const server = await startInventory({ stock: { A: 10, L: 1 } });
    const answer = await call(server.url, 'POST', '/inventory/deduct/batch', {
      headers: inventoryAuth,
      body: {
        requests: [
          deductBody('o-1', [{ sku: 'A', quantity: 2 }]),
          deductBody('o-2', [{ sku: 'L', quantity: 2 }]),
          deductBody('o-3', [{ sku: 'NOPE', quantity: 1 }]),
          { orderId: 'o-4', items: [] },
          deductBody('o-5', [{ sku: 'A', quantity: 3 }]),
        ],
      },
    });

    expect(answer.status).toBe(200);
    const { results } = answer.json<{ results: { status: number; body: Record<string, unknown> }[] }>();
    expect(results.map((result) => result.status)).toEqual([201, 409, 422, 422, 201]);
    expect(results[0]?.body).toMatchObject({
      orderId: 'o-1',
      items: [{ sku: 'A', quantity: 2, remaining: 8 }],
    });
    expect(results[1]?.body).toMatchObject({ error: 'insufficient_stock', sku: 'L' });
    expect(results[2]?.body).toMatchObject({ error: 'unknown_sku', sku: 'NOPE' });
    expect(results[3]?.body).toMatchObject({
      error: 'invalid_request',
      message: expect.stringContaining('requests.3'),
    });
    expect(results[4]?.body).toMatchObject({ items: [{ sku: 'A', quantity: 3, remaining: 5 }] });
    expect(server.stockOf('A')).toBe(5);
    expect(server.stockOf('L')).toBe(1);
  });

  it('answers 413 for a batch of more than 500 requests and 422 for a malformed envelope', async () => {
    const server = await startInventory();
    const tooMany = Array.from({ length: 501 }, (_, index) => deductBody(`o-${index}`));
    const large = await call(server.url, 'POST', '/inventory/deduct/batch', {
      headers: inventoryAuth,
      body: { requests: tooMany },
    });
    const malformed = await call(server.url, 'POST', '/inventory/deduct/batch', {
      headers: inventoryAuth,
      body: { requests: 'all of them' },
    });

    expect(large.status).toBe(413);
    expect(malformed.status).toBe(422);
    expect(malformed.json()).toMatchObject({ error: 'invalid_request' });
    expect(server.stockOf('SKU-RED-MUG')).toBe(1_000_000_000);
  });

  it('restores a deduction once and answers 200 again when it is restored twice', async () => {
    const server = await startInventory({ stock: { A: 10 } });
    const deducted = await deduct(server, deductBody('o-1', [{ sku: 'A', quantity: 4 }]));
    const { deductionId } = deducted.json<{ deductionId: string }>();
    const restore = () =>
      call(server.url, 'POST', '/inventory/restore', { headers: inventoryAuth, body: { deductionId } });

    const first = await restore();
    expect(first.status).toBe(200);
    expect(first.json()).toEqual({ deductionId, restored: true });
    expect(server.stockOf('A')).toBe(10);

    const second = await restore();
    expect(second.status).toBe(200);
    expect(second.json()).toEqual({ deductionId, restored: true });
    expect(server.stockOf('A')).toBe(10);
  });

  it('answers 404 when restoring an unknown deduction', async () => {
    const server = await startInventory();
    const answer = await call(server.url, 'POST', '/inventory/restore', {
      headers: inventoryAuth,
      body: { deductionId: 'ded_nope' },
    });

    expect(answer.status).toBe(404);
    expect(answer.json()).toMatchObject({ error: 'unknown_deduction' });
  });

  it('reports the units available per SKU and 404 for an unknown SKU', async () => {
    const server = await startInventory();
    const known = await call(server.url, 'GET', '/inventory/stock/SKU-LIMITED', { headers: inventoryAuth });
    const unknown = await call(server.url, 'GET', '/inventory/stock/SKU-NOPE', { headers: inventoryAuth });

    expect(known.status).toBe(200);
    expect(known.json()).toEqual({ sku: 'SKU-LIMITED', available: 3 });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'unknown_sku' });
  });
});
