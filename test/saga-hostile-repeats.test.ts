// ALL_OR_NOTHING repeats and writes that never left: a BEST_EFFORT order repeated as a saga, an unreconciled saga repeated, a write stopped by an open circuit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadlineIn } from '../src/core/index.js';
import { type JsonValue, openSqliteDeliveryQueue } from '../src/delivery/index.js';
import { DEMO_INVENTORY_TOKEN } from '../src/demo/index.js';
import { writeDelivery } from '../src/fanout/index.js';
import { joinSaga } from '../src/saga/index.js';
import { compensationsDead, operatorAction } from './support/saga-edge-operator.js';
import { SAGA_SKU as SKU, sagaInput, UNKNOWN_CUSTOMER, useSagaGateways } from './support/saga-gateways.js';
import {
  allOrNothing,
  compensationOf,
  type DeliveryNode,
  deliveriesOf,
  PLACE_SAGA,
  placeSaga,
  type SagaPayload,
} from './support/saga-operations.js';
import { compensationRequests, stockAt, writesFor } from './support/saga-upstream-reads.js';
import type { TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

/** What the gateway starts with of SKU, as SAGA_STOCK holds. */
const STOCK = 100;

const { start, onCleanup, orderIdFor } = useSagaGateways('hostile-repeat');
const input = (orderId: string, customerId = UNKNOWN_CUSTOMER) => sagaInput(orderId, { customerId });
const lines = (deliveries: readonly DeliveryNode[]) =>
  deliveries.map(({ target, kind, state }) => `${target} ${kind} ${state}`).sort();

describe('an ALL_OR_NOTHING repeat of an order id first placed BEST_EFFORT (ASYNC)', () => {
  it.each(['SYNC', 'SYNC_OR_QUEUE', 'ASYNC'])(
    'is refused in %s with IDEMPOTENCY_KEY_REUSED, and nothing is sent, queued or undone',
    async (delivery) => {
      const gateway = await start();
      const orderId = orderIdFor('mixed');
      expect((await placeSaga(gateway.graphql, input(orderId), { delivery: 'ASYNC' })).status).toBe(
        'ACCEPTED',
      );
      await waitUntil(
        async () =>
          lines(await deliveriesOf(gateway.graphql, orderId)).join() ===
          'CRM WRITE DEAD,INVENTORY WRITE DELIVERED',
        'the BEST_EFFORT order applied at Inventory and failed at CRM',
      );
      const sentBefore = gateway.inventory.requests.length + gateway.crm.requests.length;

      const repeat = await gateway.graphql<{ placeOrder: SagaPayload | null }>(PLACE_SAGA, {
        input: input(orderId),
        options: allOrNothing({ delivery }),
      });

      expect(repeat.body.data?.placeOrder ?? null).toBeNull();
      expect(repeat.body.errors).toHaveLength(1);
      expect(repeat.body.errors?.[0]?.extensions).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        orderIds: [orderId],
      });
      // The BEST_EFFORT deduction stands, as its answer said: no saga was made of it, nothing rolled it back.
      expect(gateway.inventory.requests.length + gateway.crm.requests.length).toBe(sentBefore);
      expect(compensationRequests(gateway.inventory.requests)).toEqual([]);
      expect(await stockAt(gateway.inventory.url, SKU)).toBe(STOCK - 2);
      expect(lines(await deliveriesOf(gateway.graphql, orderId))).toEqual([
        'CRM WRITE DEAD',
        'INVENTORY WRITE DELIVERED',
      ]);
    },
  );
});

describe('a repeat of a saga whose reconcile never ran (its settling process died)', () => {
  it('answers ROLLBACK_PENDING, not FAILED, and its reconcile lets the worker restore the stock once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fanout-saga-hostile-'));
    onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
    const gateway = await start({ FANOUT_DATA_DIR: dataDir });
    const orderId = orderIdFor('unreconciled');
    const order = input(orderId);
    // What a request leaves when it dies between settling its writes and reconciling the saga: Inventory
    // DELIVERED (really deducted, with the write's key), CRM DEAD, no compensation. Written by another
    // queue on the gateway's data dir, as that process would have.
    const send = { client: 'anonymous', deadline: deadlineIn(10_000) };
    const writes = joinSaga(['inventory', 'crm'].map((target) => writeDelivery(order, target, send)));
    const queue = await openSqliteDeliveryQueue({ dataDir });
    onCleanup(() => queue.close());
    const [inventoryWrite, crmWrite] = await queue.enqueue(
      writes.map((write) => ({ ...write, claimForMs: 60_000 })),
    );
    if (!inventoryWrite?.claim || !crmWrite?.claim) throw new Error('the writes were not created claimed');
    const deduction = await deductWithKey(gateway, order, inventoryWrite.delivery.upstreamKey);
    await queue.complete(inventoryWrite.delivery.id, inventoryWrite.claim, {
      ...deduction,
      replayed: false,
      attempts: 1,
    });
    await queue.kill(
      crmWrite.delivery.id,
      crmWrite.claim,
      'CRM API rejected the request (404 unknown_customer)',
    );
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(STOCK - 2);

    const repeat = await placeSaga(gateway.graphql, order, allOrNothing());

    expect(['ROLLBACK_PENDING', 'ROLLED_BACK']).toContain(repeat.status);
    expect(['PENDING', 'COMPENSATED']).toContain(compensationOf(repeat, 'INVENTORY').state);
    await waitUntil(
      async () => (await stockAt(gateway.inventory.url, SKU)) === STOCK,
      'the worker restored the stock',
    );
    const final = await placeSaga(gateway.graphql, order, allOrNothing());
    expect(final.status).toBe('ROLLED_BACK');
    expect(compensationRequests(gateway.inventory.requests)).toHaveLength(1);
  });
});

/** `POST /inventory/deduct` with the write's own key, as its first attempt sent it; answers the deduction. */
async function deductWithKey(
  gateway: TestGateway,
  order: ReturnType<typeof input>,
  upstreamKey: string,
): Promise<Record<string, JsonValue>> {
  const response = await fetch(`${gateway.inventory.url}/inventory/deduct`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${DEMO_INVENTORY_TOKEN}`,
      'idempotency-key': upstreamKey,
    },
    body: JSON.stringify({ orderId: order.orderId, items: order.items }),
  });
  if (response.status !== 201) throw new Error(`deduct: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, JsonValue>;
}

describe("SYNC ALL_OR_NOTHING while CRM's circuit is open", () => {
  it('ends the CRM write CANCELLED with no attempt, rolls Inventory back, and an operator cancel or replay sends nothing to CRM', async () => {
    const gateway = await start({
      CRM_BREAKER_FAILURES: '1',
      CRM_BREAKER_HALF_OPEN_AFTER_MS: '600000',
      CRM_MAX_ATTEMPTS: '1',
    });
    // One failed BEST_EFFORT call opens CRM's circuit.
    gateway.crm.faults.enqueue({ kind: 'status', status: 503 });
    await placeSaga(gateway.graphql, input(orderIdFor('opener'), 'CUST-3'), {});
    const stockBefore = await stockAt(gateway.inventory.url, SKU);
    const orderId = orderIdFor('circuit');

    const payload = await placeSaga(gateway.graphql, input(orderId, 'CUST-1'));

    expect(payload.crm).toMatchObject({ __typename: 'CircuitOpen', attempts: 0 });
    expect(payload.status).toBe('ROLLED_BACK');
    expect(compensationOf(payload, 'INVENTORY')).toMatchObject({
      state: 'COMPENSATED',
      writeWasApplied: true,
    });
    expect(await stockAt(gateway.inventory.url, SKU)).toBe(stockBefore);
    const crmWrite = (await deliveriesOf(gateway.graphql, orderId, 'WRITE')).find(
      ({ target }) => target === 'CRM',
    );
    expect(crmWrite).toMatchObject({ state: 'CANCELLED', attempts: 0, lastFailure: null });

    const cancelled = await operatorAction(gateway.graphql, 'cancel', String(crmWrite?.id));
    const replayed = await operatorAction(gateway.graphql, 'replay', String(crmWrite?.id));

    expect(cancelled.body.errors?.[0]?.message).toContain('a CANCELLED delivery cannot be cancelled');
    expect(replayed.body.errors?.[0]?.extensions?.code).toBe('DELIVERY_TRANSITION_REFUSED');
    await waitUntil(
      async () =>
        (await deliveriesOf(gateway.graphql, orderId)).every(
          ({ state }) => state !== 'QUEUED' && state !== 'IN_FLIGHT',
        ),
      'nothing of the order is queued or in flight',
    );
    expect(lines(await deliveriesOf(gateway.graphql, orderId))).toEqual([
      'CRM WRITE CANCELLED',
      'INVENTORY COMPENSATION DELIVERED',
      'INVENTORY WRITE DELIVERED',
    ]);
    expect(writesFor(gateway.crm.requests, orderId)).toEqual([]);
    expect(compensationRequests(gateway.crm.requests)).toEqual([]);
    expect(await compensationsDead(gateway.operatorUrl, 'crm')).toBe(0);
  });
});
