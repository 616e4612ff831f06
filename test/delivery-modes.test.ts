// Delivery modes against a real gateway and its real SQLite queue: ASYNC queues before answering, SYNC_OR_QUEUE queues transient failures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Delivery,
  type DeliveryQueue,
  deliveryIdFor,
  openSqliteDeliveryQueue,
} from '../src/delivery/index.js';
import { upstreamIdempotencyKey } from '../src/targets/index.js';
import { order, payloadFields } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

const queuedFields = `... on DeliveryQueued { target deliveryId attempts nextAttemptAt lastFailure }`;
const fields = payloadFields
  .replace('inventory {', `inventory { ${queuedFields}`)
  .replace('crm {', `crm { ${queuedFields}`);
const PLACE_ORDER = `mutation ($input: PlaceOrderInput!, $options: FanoutOptions) {
  placeOrder(input: $input, options: $options) { ${fields} }
}`;
const PLACE_ORDERS = `mutation ($inputs: [PlaceOrderInput!]!, $options: FanoutOptions) {
  placeOrders(inputs: $inputs, options: $options) { ${fields} }
}`;

type Member = { __typename: string } & Record<string, unknown>;
interface Payload {
  orderId: string;
  status: string;
  inventory: Member;
  crm: Member;
}

const CLIENT = 'delivery-modes-test';
const HEADERS = { 'apollographql-client-name': CLIENT };
// Step n is n × 10 minutes, so a queued write's due time tells which step the gateway used.
const STEP_MS = 600_000;
const SCHEDULE = Array.from({ length: 10 }, (_, index) => `${index * 10}m`).join(',');

let dataDir: string | undefined;
let running: TestGateway | undefined;
let reader: DeliveryQueue | undefined;

afterEach(async () => {
  await reader?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  reader = undefined;
  running = undefined;
  dataDir = undefined;
});

/** Private: a gateway with its own data dir (opened a second time read-side by the test) and no worker. */
async function start(): Promise<{ gateway: TestGateway; queue: DeliveryQueue; dir: string }> {
  dataDir = mkdtempSync(join(tmpdir(), 'delivery-modes-'));
  running = await startTestGateway({
    env: { FANOUT_DATA_DIR: dataDir, FANOUT_WORKER: 'off', DELIVERY_RETRY_SCHEDULE: SCHEDULE },
  });
  reader = await openSqliteDeliveryQueue({ dataDir });
  return { gateway: running, queue: reader, dir: dataDir };
}

async function rows(queue: DeliveryQueue): Promise<Delivery[]> {
  const page = await queue.list({}, { first: 500 });
  return page.items.map(({ delivery }) => delivery);
}

function placeOrder(gateway: TestGateway, input: Record<string, unknown>, options: Record<string, unknown>) {
  return gateway.graphql<{ placeOrder: Payload }>(PLACE_ORDER, { input, options }, HEADERS);
}

const upstreamRequests = (gateway: TestGateway) =>
  gateway.inventory.requestCount() + gateway.crm.requestCount();

/** Private: makes the queue's database refuse every new row, as a full disk or an I/O error would. */
function refuseInserts(dir: string): void {
  const db = new Database(join(dir, 'deliveries.sqlite'));
  try {
    db.exec(`CREATE TRIGGER refuse_inserts BEFORE INSERT ON deliveries
             BEGIN SELECT RAISE(ABORT, 'the disk refuses writes'); END`);
  } finally {
    db.close();
  }
}

describe('delivery ASYNC', () => {
  it('commits one delivery per target before answering ACCEPTED, and sends nothing upstream', async () => {
    const { gateway, queue } = await start();
    const input = order('async-1');
    const response = await placeOrder(gateway, input, { delivery: 'ASYNC' });
    const stored = await rows(queue);

    const payload = response.body.data?.placeOrder;
    expect(response.body.errors).toBeUndefined();
    expect(payload?.status).toBe('ACCEPTED');
    for (const [field, target, targetId] of [
      ['inventory', 'INVENTORY', 'inventory'],
      ['crm', 'CRM', 'crm'],
    ] as const) {
      const upstreamKey = upstreamIdempotencyKey(CLIENT, undefined, targetId, input);
      expect(payload?.[field]).toMatchObject({
        __typename: 'DeliveryQueued',
        target,
        deliveryId: deliveryIdFor('write', upstreamKey),
        attempts: 0,
        lastFailure: null,
      });
      const row = stored.find((delivery) => delivery.target === targetId);
      expect(row).toMatchObject({
        id: payload?.[field].deliveryId,
        kind: 'write',
        orderId: 'async-1',
        upstreamKey,
        payload: input,
        clientId: CLIENT,
        state: 'QUEUED',
        attempts: 0,
      });
      expect(payload?.[field].nextAttemptAt).toBe(new Date(row?.nextAttemptAt ?? 0).toISOString());
    }
    expect(stored).toHaveLength(2);
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('answers DELIVERY_QUEUE_UNAVAILABLE when the queue cannot be written, with nothing queued or sent', async () => {
    const { gateway, queue, dir } = await start();
    refuseInserts(dir);
    const response = await placeOrder(gateway, order('async-down'), { delivery: 'ASYNC' });

    expect(response.body.data).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('DELIVERY_QUEUE_UNAVAILABLE');
    expect(await rows(queue)).toEqual([]);
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('replays the ACCEPTED payload for a repeated idempotency key and queues nothing new', async () => {
    const { gateway, queue } = await start();
    const options = { delivery: 'ASYNC', idempotencyKey: 'async-key-1' };
    const first = await placeOrder(gateway, order('async-key'), options);
    const second = await placeOrder(gateway, order('async-key'), options);

    expect(first.body.data?.placeOrder.status).toBe('ACCEPTED');
    expect(second.body.data).toEqual(first.body.data);
    const stored = await rows(queue);
    expect(stored).toHaveLength(2);
    expect(stored.map((delivery) => delivery.upstreamKey).sort()).toEqual(
      ['crm', 'inventory']
        .map((id) => upstreamIdempotencyKey(CLIENT, 'async-key-1', id, order('async-key')))
        .sort(),
    );
  });

  it('queues nothing new for a repeat of the same order id without a key, and answers the same delivery ids', async () => {
    const { gateway, queue } = await start();
    const first = await placeOrder(gateway, order('async-again'), { delivery: 'ASYNC' });
    const second = await placeOrder(gateway, order('async-again'), { delivery: 'ASYNC' });

    const ids = (payload: Payload | undefined) => [payload?.inventory.deliveryId, payload?.crm.deliveryId];
    expect(second.body.data?.placeOrder.status).toBe('ACCEPTED');
    expect(ids(second.body.data?.placeOrder)).toEqual(ids(first.body.data?.placeOrder));
    expect(await rows(queue)).toHaveLength(2);
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('queues every order × target of a placeOrders batch in one answer', async () => {
    const { gateway, queue } = await start();
    const inputs = ['batch-1', 'batch-2', 'batch-3'].map((orderId) => order(orderId));
    const response = await gateway.graphql<{ placeOrders: Payload[] }>(
      PLACE_ORDERS,
      { inputs, options: { delivery: 'ASYNC' } },
      HEADERS,
    );

    const payloads = response.body.data?.placeOrders ?? [];
    expect(payloads.map((payload) => [payload.orderId, payload.status])).toEqual([
      ['batch-1', 'ACCEPTED'],
      ['batch-2', 'ACCEPTED'],
      ['batch-3', 'ACCEPTED'],
    ]);
    const stored = await rows(queue);
    expect(stored).toHaveLength(6);
    for (const payload of payloads) {
      for (const member of [payload.inventory, payload.crm]) {
        expect(member.__typename).toBe('DeliveryQueued');
        expect(stored.find((delivery) => delivery.id === member.deliveryId)?.orderId).toBe(payload.orderId);
      }
    }
    expect(upstreamRequests(gateway)).toBe(0);
  });
});

describe('delivery SYNC_OR_QUEUE', () => {
  it('queues CRM when it answers 503 through the deadline, and reports Inventory’s success: ACCEPTED', async () => {
    const { gateway, queue } = await start();
    gateway.crm.faults.set({ failure: { kind: 'status', status: 503 } });
    const sentAt = Date.now();
    const response = await placeOrder(gateway, order('soq-503'), {
      delivery: 'SYNC_OR_QUEUE',
      deadlineMs: 1500,
    });

    const payload = response.body.data?.placeOrder;
    expect(payload?.status).toBe('ACCEPTED');
    expect(payload?.inventory.__typename).toBe('StockDeducted');
    expect(payload?.crm).toMatchObject({ __typename: 'DeliveryQueued', target: 'CRM' });
    const attempts = payload?.crm.attempts as number;
    expect(attempts).toBeGreaterThan(0);
    expect(payload?.crm.lastFailure).toEqual(expect.any(String));
    const stored = await rows(queue);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: payload?.crm.deliveryId,
      target: 'crm',
      state: 'QUEUED',
      attempts,
      lastFailure: payload?.crm.lastFailure,
      upstreamKey: upstreamIdempotencyKey(CLIENT, undefined, 'crm', order('soq-503')),
    });
    // The schedule's step after the attempts already made (±20% jitter): step n waits n × 10 minutes.
    const dueIn = (stored[0]?.nextAttemptAt ?? 0) - sentAt;
    expect(dueIn).toBeGreaterThanOrEqual(attempts * STEP_MS * 0.8 - 60_000);
    expect(dueIn).toBeLessThanOrEqual(attempts * STEP_MS * 1.2 + 60_000);
    expect(payload?.crm.nextAttemptAt).toBe(new Date(stored[0]?.nextAttemptAt ?? 0).toISOString());
  });

  it('reports a 422 as UpstreamRejected and queues nothing', async () => {
    const { gateway, queue } = await start();
    gateway.crm.faults.set({ failure: { kind: 'status', status: 422 } });
    const response = await placeOrder(gateway, order('soq-422'), { delivery: 'SYNC_OR_QUEUE' });

    const payload = response.body.data?.placeOrder;
    expect(payload?.crm).toMatchObject({ __typename: 'UpstreamRejected', httpStatus: 422 });
    expect(payload?.inventory.__typename).toBe('StockDeducted');
    expect(payload?.status).toBe('PARTIALLY_SUCCEEDED');
    expect(await rows(queue)).toEqual([]);
  });

  it('reports the real failure when the queue cannot be written', async () => {
    const { gateway, queue, dir } = await start();
    refuseInserts(dir);
    gateway.crm.faults.set({ failure: { kind: 'status', status: 503 } });
    const response = await placeOrder(gateway, order('soq-down'), {
      delivery: 'SYNC_OR_QUEUE',
      deadlineMs: 1000,
    });

    const payload = response.body.data?.placeOrder;
    expect(response.body.errors).toBeUndefined();
    expect(payload?.crm).toMatchObject({ __typename: 'UpstreamUnavailable', httpStatus: 503 });
    expect(payload?.inventory.__typename).toBe('StockDeducted');
    expect(payload?.status).toBe('PARTIALLY_SUCCEEDED');
    expect(await rows(queue)).toEqual([]);
  });

  it('is SUCCEEDED and queues nothing when every target succeeds', async () => {
    const { gateway, queue } = await start();
    const response = await placeOrder(gateway, order('soq-ok'), { delivery: 'SYNC_OR_QUEUE' });

    expect(response.body.data?.placeOrder.status).toBe('SUCCEEDED');
    expect(await rows(queue)).toEqual([]);
  });
});
