// Dead letters end to end: ASYNC writes to a CRM that stays down run out their schedule and go DEAD; once CRM recovers, replayDelivery and replayDeliveries deliver them, each applied once.
import { afterEach, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const PLACE_ASYNC = /* GraphQL */ `
  mutation PlaceAsync($input: PlaceOrderInput!) {
    placeOrder(input: $input, options: { delivery: ASYNC }) {
      status
      crm { __typename ... on DeliveryQueued { deliveryId } }
    }
  }
`;

const CRM_DELIVERIES = /* GraphQL */ `
  query CrmDeliveries($state: DeliveryState) {
    deliveries(filter: { target: CRM, state: $state }, first: 50) {
      nodes { id orderId state attempts lastFailure }
    }
  }
`;

const REPLAY_ONE = /* GraphQL */ `
  mutation ReplayOne($id: ID!) { replayDelivery(id: $id) { id state attempts } }
`;

const REPLAY_DEAD_CRM = /* GraphQL */ `
  mutation ReplayDeadCrm { replayDeliveries(filter: { target: CRM, state: DEAD }) }
`;

interface DeliveryNode {
  readonly id: string;
  readonly orderId: string;
  readonly state: string;
  readonly attempts: number;
  readonly lastFailure: string | null;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('parks CRM writes as DEAD after their schedule while CRM is down, and delivers them once each after replayDelivery and replayDeliveries', async () => {
  const gateway: TestGateway = await startTestGateway({
    env: {
      DELIVERY_RETRY_SCHEDULE: '0s,20ms,20ms',
      DELIVERY_POLL_INTERVAL_MS: '20',
      CRM_MAX_ATTEMPTS: '1',
      // CRM's circuit opens after its 503s; a short half-open wait lets the recovered CRM close it soon.
      CRM_BREAKER_HALF_OPEN_AFTER_MS: '200',
    },
  });
  cleanups.push(() => gateway.close());
  const crmDeliveries = async (state?: string) =>
    (await gateway.graphql<{ deliveries: { nodes: DeliveryNode[] } }>(CRM_DELIVERIES, { state })).body.data
      ?.deliveries.nodes ?? [];

  gateway.crm.faults.set({ failure: { kind: 'status', status: 503 } });
  const orderIds = ['dead-1', 'dead-2', 'dead-3'];
  for (const [index, orderId] of orderIds.entries()) {
    const answer = await gateway.graphql<{ placeOrder: { status: string } }>(PLACE_ASYNC, {
      input: { orderId, customerId: `CUST-${20 + index}`, items: [{ sku: 'SKU-RED-MUG', quantity: 1 }] },
    });
    expect(answer.body.data?.placeOrder.status).toBe('ACCEPTED');
  }

  await waitUntil(
    async () => (await crmDeliveries('DEAD')).length === orderIds.length,
    'all three CRM writes DEAD',
  );
  for (const dead of await crmDeliveries('DEAD')) {
    expect(dead.attempts).toBe(3);
    expect(dead.lastFailure).toMatch(/503/);
  }

  gateway.crm.faults.reset();
  const [first] = await crmDeliveries('DEAD');
  const replayed = await gateway.graphql<{ replayDelivery: DeliveryNode }>(REPLAY_ONE, { id: first?.id });
  expect(replayed.body.data?.replayDelivery).toMatchObject({ id: first?.id, state: 'QUEUED', attempts: 3 });
  await waitUntil(
    async () => (await crmDeliveries('DELIVERED')).some((delivery) => delivery.id === first?.id),
    'the replayed delivery DELIVERED',
  );

  const bulk = await gateway.graphql<{ replayDeliveries: number }>(REPLAY_DEAD_CRM);
  expect(bulk.body.data?.replayDeliveries).toBe(orderIds.length - 1);
  await waitUntil(
    async () => (await crmDeliveries('DELIVERED')).length === orderIds.length,
    'every replayed delivery DELIVERED',
  );
  for (const [index, orderId] of orderIds.entries()) {
    const logged = gateway.crm
      .activitiesOf(`CUST-${20 + index}`)
      .filter((activity) => activity.orderId === orderId);
    expect(logged).toHaveLength(1);
  }
});
