// ALL_OR_NOTHING against an Inventory whose restore answers oddly: a 202, a 404 unknown_deduction, no answer at all, a 200 too large to read.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { compensationsDead } from './support/saga-edge-operator.js';
import { allOrNothing, compensationOf, deliveriesOf, placeSaga } from './support/saga-operations.js';
import { deductionFor, type ScriptedAnswer, startScriptedUpstream } from './support/scripted-upstream.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

/** Not one of the demo CRM's customers: CRM rejects the write with 404, for good, and the deduction is undone. */
const UNKNOWN_CUSTOMER = 'CUST-NOBODY';
const DEADLINE_MS = 3000;
/** The smallest answer limit the config allows: a restore answer past it cannot be read. */
const MAX_RESPONSE_BYTES = 1024;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A gateway whose Inventory deducts normally and answers every restore with `restore`: a 500 ms attempt
 * timeout, two attempts per call, and a compensation schedule of three attempts 100 ms apart.
 */
async function start(restore: () => ScriptedAnswer | Promise<ScriptedAnswer>) {
  const inventory = await startScriptedUpstream((request) =>
    request.path === '/inventory/restore' ? restore() : { status: 201, body: deductionFor(request.body) },
  );
  cleanups.push(() => inventory.close());
  const gateway = await startTestGateway({
    inventoryUrl: inventory.url,
    env: {
      DELIVERY_POLL_INTERVAL_MS: '20',
      FANOUT_DEADLINE_MS: String(DEADLINE_MS),
      INVENTORY_TIMEOUT_MS: '500',
      INVENTORY_MAX_ATTEMPTS: '2',
      INVENTORY_BACKOFF_MAX_MS: '50',
      INVENTORY_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES),
      DELIVERY_COMPENSATION_RETRY_SCHEDULE: '0s,100ms,100ms',
      INVENTORY_BREAKER_FAILURES: '1000',
    },
  });
  cleanups.push(() => gateway.close());
  const restores = () => inventory.requests.filter(({ path }) => path === '/inventory/restore');
  return { gateway, restores };
}

/** Places an order CRM rejects, so its deduction must be restored; answers the payload and how long it took. */
async function placeRolledBack(gateway: TestGateway) {
  const order = {
    orderId: `hostile-undo-${randomUUID().slice(0, 8)}`,
    customerId: UNKNOWN_CUSTOMER,
    items: [{ sku: 'SKU-1', quantity: 1 }],
  };
  const started = performance.now();
  const payload = await placeSaga(gateway.graphql, order, allOrNothing());
  return { order, payload, ms: performance.now() - started };
}

describe('ALL_OR_NOTHING when the restore answers oddly', () => {
  it('answers NEEDS_ATTENTION with the alert raised when the restore answers 202, a 2xx that does not say undone', async () => {
    const { gateway, restores } = await start(() => ({ status: 202, body: { accepted: true } }));

    const { payload } = await placeRolledBack(gateway);

    expect(payload.status).toBe('NEEDS_ATTENTION');
    expect(compensationOf(payload, 'INVENTORY')).toMatchObject({
      state: 'FAILED',
      attempts: 1,
      writeWasApplied: null,
      lastFailure: expect.stringContaining('202'),
    });
    expect(restores()).toHaveLength(1);
    expect(await compensationsDead(gateway.operatorUrl, 'inventory')).toBe(1);
  });

  it('answers NEEDS_ATTENTION with the alert raised when the restore answers 404 unknown_deduction', async () => {
    const { gateway } = await start(() => ({
      status: 404,
      body: { error: 'unknown_deduction', message: 'no such deduction' },
    }));

    const { payload } = await placeRolledBack(gateway);

    expect(payload.status).toBe('NEEDS_ATTENTION');
    expect(compensationOf(payload, 'INVENTORY')).toMatchObject({
      state: 'FAILED',
      lastFailure: expect.stringContaining('404 unknown_deduction'),
    });
    expect(await compensationsDead(gateway.operatorUrl, 'inventory')).toBe(1);
  });

  it('answers ROLLBACK_PENDING within twice the deadline when the restore never answers, then the compensation goes DEAD on its schedule with the alert', async () => {
    const { gateway, restores } = await start(() => new Promise<ScriptedAnswer>(() => {}));

    const { payload, ms, order } = await placeRolledBack(gateway);

    expect(ms).toBeLessThan(2 * DEADLINE_MS + 1500);
    expect(payload.status).toBe('ROLLBACK_PENDING');
    expect(compensationOf(payload, 'INVENTORY').state).toBe('PENDING');
    await waitUntil(
      async () =>
        (await deliveriesOf(gateway.graphql, order.orderId, 'COMPENSATION')).some(
          ({ state }) => state === 'DEAD',
        ),
      'the compensation went DEAD',
    );
    const deliveries = await deliveriesOf(gateway.graphql, order.orderId);
    expect(deliveries.filter(({ state }) => state === 'QUEUED' || state === 'IN_FLIGHT')).toEqual([]);
    const final = await placeSaga(gateway.graphql, order, allOrNothing());
    expect(final.status).toBe('NEEDS_ATTENTION');
    expect(compensationOf(final, 'INVENTORY')).toMatchObject({ state: 'FAILED', attempts: 3 });
    expect(await compensationsDead(gateway.operatorUrl, 'inventory')).toBe(1);
    // Three delivery attempts of at most two calls each: the schedule bounds it, nothing loops.
    expect(restores().length).toBeLessThanOrEqual(6);
  }, 60_000);

  it('answers ROLLED_BACK when the restore answers 200 with a body too large to read: the status says undone', async () => {
    const tooLarge = JSON.stringify({ restored: true, pad: 'x'.repeat(16 * MAX_RESPONSE_BYTES) });
    const { gateway, restores } = await start(() => ({
      status: 200,
      chunks: { text: tooLarge, chunkSize: MAX_RESPONSE_BYTES },
    }));

    const { payload } = await placeRolledBack(gateway);

    expect(payload.status).toBe('ROLLED_BACK');
    expect(compensationOf(payload, 'INVENTORY')).toMatchObject({
      state: 'COMPENSATED',
      attempts: 1,
      lastFailure: null,
      writeWasApplied: true,
    });
    expect(restores()).toHaveLength(1);
    expect(await compensationsDead(gateway.operatorUrl, 'inventory')).toBe(0);
  });
});
