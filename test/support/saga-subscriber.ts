// A graphql-ws subscriber on deliveryUpdated (one delivery's or one order's) that keeps every update it receives, for the saga tests.
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

/** Which updates to follow: one delivery's, or those of all an order's writes and compensations. */
export type DeliveryUpdatesFilter = { readonly deliveryId: string } | { readonly orderId: string };

/** Connects to the gateway's GraphQL endpoint over WebSocket and subscribes to the updates `filter` names. */
export async function subscribeToDeliveryUpdates(
  graphqlUrl: string,
  filter: DeliveryUpdatesFilter,
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
    { query: DELIVERY_UPDATED, variables: { ...filter } },
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
