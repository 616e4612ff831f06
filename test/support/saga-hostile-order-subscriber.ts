// A graphql-ws subscriber on deliveryUpdated(orderId:): every update of one order's writes and compensations, for the hostile saga tests.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { DeliverySubscriber } from './saga-subscriber.js';

const ORDER_UPDATED = /* GraphQL */ `
  subscription WatchOrder($orderId: ID!) {
    deliveryUpdated(orderId: $orderId) { id orderId target kind state attempts lastFailure nextAttemptAt deliveredAt }
  }
`;

/** Connects to the gateway's GraphQL endpoint over WebSocket and subscribes to one order's delivery updates. */
export async function subscribeToOrder(graphqlUrl: string, orderId: string): Promise<DeliverySubscriber> {
  const client = createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const updates: DeliverySubscriber['updates'] = [];
  const errors: unknown[] = [];
  const connected = new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('error', reject);
  });
  const unsubscribe = client.subscribe(
    { query: ORDER_UPDATED, variables: { orderId } },
    {
      next: (event) => {
        if (event.errors) errors.push(event.errors);
        const data = event.data as
          | { deliveryUpdated?: DeliverySubscriber['updates'][number] }
          | null
          | undefined;
        if (data?.deliveryUpdated) updates.push(data.deliveryUpdated);
      },
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  await connected;
  return {
    updates,
    errors,
    async dispose() {
      unsubscribe();
      await client.dispose();
    },
  };
}
