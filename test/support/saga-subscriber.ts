// A graphql-ws subscriber on deliveryUpdated(deliveryId:) that keeps every update it receives, for the saga tests.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { DELIVERY_UPDATED, type DeliveryNode } from './saga-operations.js';

export interface DeliverySubscriber {
  /** Every update received so far, oldest first. */
  readonly updates: DeliveryNode[];
  /** Errors the subscription reported (a GraphQL error, a closed socket). */
  readonly errors: unknown[];
  dispose(): Promise<void>;
}

/** Connects to the gateway's GraphQL endpoint over WebSocket and subscribes to one delivery's updates. */
export async function subscribeToDelivery(
  graphqlUrl: string,
  deliveryId: string,
): Promise<DeliverySubscriber> {
  const client = createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const updates: DeliveryNode[] = [];
  const errors: unknown[] = [];
  const connected = new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('error', reject);
  });
  const unsubscribe = client.subscribe(
    { query: DELIVERY_UPDATED, variables: { deliveryId } },
    {
      next: (event) => {
        if (event.errors) errors.push(event.errors);
        const update = (event.data as { deliveryUpdated?: DeliveryNode } | null | undefined)?.deliveryUpdated;
        if (update) updates.push(update);
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
