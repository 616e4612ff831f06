// End to end: a write queued by SYNC_OR_QUEUE while CRM is down is delivered by the in-gateway worker once CRM recovers, and a graphql-ws subscriber sees it.
import { type Client, createClient } from 'graphql-ws';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { order } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const SCHEDULE = ['0s', ...Array.from({ length: 99 }, () => '100ms')].join(',');

const DELIVERY_UPDATED = /* GraphQL */ `
  subscription Watch($orderId: ID!) {
    deliveryUpdated(orderId: $orderId) {
      id
      target
      state
      attempts
      result { __typename ... on ActivityLogged { activityId } }
    }
  }
`;

const PLACE_ORDER_OR_QUEUE = /* GraphQL */ `
  mutation PlaceOrQueue($input: PlaceOrderInput!) {
    placeOrder(input: $input, options: { delivery: SYNC_OR_QUEUE, deadlineMs: 1500 }) {
      status
      inventory { __typename }
      crm { __typename ... on DeliveryQueued { deliveryId attempts lastFailure } }
    }
  }
`;

interface QueuedAnswer {
  readonly placeOrder: {
    readonly status: string;
    readonly inventory: { readonly __typename: string };
    readonly crm: { readonly __typename: string; readonly deliveryId?: string };
  };
}

interface DeliveryView {
  readonly id: string;
  readonly state: string;
  readonly attempts: number;
  readonly result: { __typename: string; activityId?: string } | null;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

it('delivers a SYNC_OR_QUEUE write queued while CRM answered 503 once CRM recovers, and the subscriber sees DELIVERED', async () => {
  const gateway: TestGateway = await startTestGateway({
    // Short steps, and many of them: the write is due again soon, and a loaded machine that is slow to
    // let CRM recover cannot run the schedule out (DEAD) first. The worker polls every 20 ms.
    env: { DELIVERY_RETRY_SCHEDULE: SCHEDULE, DELIVERY_POLL_INTERVAL_MS: '20' },
  });
  cleanups.push(() => gateway.close());
  const client: Client = createClient({
    url: gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  cleanups.push(async () => client.dispose());
  const updates: DeliveryView[] = [];
  const subscribed = new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('error', reject);
  });
  const unsubscribe = client.subscribe(
    { query: DELIVERY_UPDATED, variables: { orderId: 'e2e-soq-1' } },
    {
      next: (event) => updates.push((event.data as { deliveryUpdated: DeliveryView }).deliveryUpdated),
      error: () => {},
      complete: () => {},
    },
  );
  cleanups.push(async () => unsubscribe());
  await subscribed;

  // CRM is down for as long as the request waits: every attempt within the deadline gets a 503.
  gateway.crm.faults.set({ failure: { kind: 'status', status: 503 } });
  const response = await gateway.graphql<QueuedAnswer>(PLACE_ORDER_OR_QUEUE, { input: order('e2e-soq-1') });
  const payload = response.body.data?.placeOrder;
  expect(payload?.status).toBe('ACCEPTED');
  expect(payload?.inventory.__typename).toBe('StockDeducted');
  expect(payload?.crm.__typename).toBe('DeliveryQueued');
  const deliveryId = payload?.crm.deliveryId;
  expect(deliveryId).toMatch(/^dlv_/);

  // CRM recovers: the worker's next attempt delivers the queued write.
  gateway.crm.faults.reset();
  await waitUntil(
    () => updates.some((update) => update.id === deliveryId && update.state === 'DELIVERED'),
    'the subscriber saw the delivery DELIVERED',
  );
  const delivered = updates.find((update) => update.state === 'DELIVERED');
  expect(delivered?.result?.__typename).toBe('ActivityLogged');
  // The activity exists once at the CRM, whatever the number of attempts it took.
  const logged = gateway.crm.activitiesOf(order('e2e-soq-1').customerId);
  expect(logged.filter((activity) => activity.orderId === 'e2e-soq-1')).toHaveLength(1);
});
