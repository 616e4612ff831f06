// The GraphQL the saga durability tests send to a spawned gateway: ALL_OR_NOTHING orders, an order's deliveries, replays.
import { sendGraphQL } from './send-graphql.js';
import { waitUntil } from './wait-until.js';

const PLACE_ALL_OR_NOTHING = /* GraphQL */ `
  mutation PlaceAllOrNothing($input: PlaceOrderInput!, $options: FanoutOptions!) {
    placeOrder(input: $input, options: $options) {
      orderId
      status
      inventory {
        __typename
        ... on StockDeducted { deductionId }
        ... on DeliveryQueued { deliveryId }
      }
      crm {
        __typename
        ... on UpstreamRejected { httpStatus code }
        ... on DeliveryQueued { deliveryId }
      }
      compensations { target state deliveryId attempts lastFailure writeWasApplied }
    }
  }
`;

const ORDER_DELIVERIES = /* GraphQL */ `
  query OrderDeliveries($orderId: ID!) {
    deliveries(filter: { orderId: $orderId }, first: 10) {
      nodes {
        id
        target
        kind
        state
        attempts
        lastFailure
        result { __typename ... on StockDeducted { deductionId replayed } }
      }
    }
  }
`;

const REPLAY = /* GraphQL */ `
  mutation Replay($id: ID!) { replayDelivery(id: $id) { id state } }
`;

const TARGETS = /* GraphQL */ `
  query Targets { targets { target circuit } }
`;

export interface DurableOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
}

export interface TargetCompensationView {
  readonly target: string;
  readonly state: string;
  readonly deliveryId: string;
  readonly attempts: number;
  readonly lastFailure: string | null;
  readonly writeWasApplied: boolean | null;
}

export interface AllOrNothingPayload {
  readonly orderId: string;
  readonly status: string;
  readonly inventory: {
    readonly __typename: string;
    readonly deductionId?: string;
    readonly deliveryId?: string;
  };
  readonly crm: {
    readonly __typename: string;
    readonly httpStatus?: number;
    readonly code?: string;
    readonly deliveryId?: string;
  };
  readonly compensations: readonly TargetCompensationView[];
}

export interface DeliveryView {
  readonly id: string;
  readonly target: 'INVENTORY' | 'CRM';
  readonly kind: 'WRITE' | 'COMPENSATION';
  readonly state: string;
  readonly attempts: number;
  readonly lastFailure: string | null;
  readonly result: {
    readonly __typename: string;
    readonly deductionId?: string;
    readonly replayed?: boolean;
  } | null;
}

/**
 * Places `order` ALL_OR_NOTHING with `delivery` mode and idempotency `key`; throws on a GraphQL error, so a
 * test reads the payload directly. Rejects when the gateway dies before it answers.
 */
export async function placeAllOrNothing(
  url: string,
  order: DurableOrder,
  options: { readonly delivery: 'SYNC' | 'ASYNC' | 'SYNC_OR_QUEUE'; readonly idempotencyKey: string },
): Promise<AllOrNothingPayload> {
  const answer = await sendGraphQL<{ placeOrder: AllOrNothingPayload }>(url, PLACE_ALL_OR_NOTHING, {
    input: order,
    options: { consistency: 'ALL_OR_NOTHING', ...options },
  });
  const payload = answer.body.data?.placeOrder;
  if (!payload) throw new Error(`placeOrder failed: ${JSON.stringify(answer.body)}`);
  return payload;
}

/** Every delivery of `orderId`, oldest first. */
export async function deliveriesOf(url: string, orderId: string): Promise<DeliveryView[]> {
  const answer = await sendGraphQL<{ deliveries: { nodes: DeliveryView[] } }>(url, ORDER_DELIVERIES, {
    orderId,
  });
  const nodes = answer.body.data?.deliveries.nodes;
  if (!nodes) throw new Error(`deliveries failed: ${JSON.stringify(answer.body)}`);
  return nodes;
}

/** The one delivery of `orderId` with this target and kind, if there is one. */
export function findDelivery(
  deliveries: readonly DeliveryView[],
  target: DeliveryView['target'],
  kind: DeliveryView['kind'],
): DeliveryView | undefined {
  const found = deliveries.filter((delivery) => delivery.target === target && delivery.kind === kind);
  if (found.length > 1) throw new Error(`several ${target} ${kind} deliveries: ${JSON.stringify(found)}`);
  return found[0];
}

/**
 * Waits until the order's deliveries satisfy `condition` (generous bound), then returns them. The
 * timeout error shows the last deliveries seen.
 */
export async function waitForDeliveries(
  url: string,
  orderId: string,
  condition: (deliveries: readonly DeliveryView[]) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<DeliveryView[]> {
  let last: DeliveryView[] = [];
  try {
    await waitUntil(
      async () => {
        last = await deliveriesOf(url, orderId);
        return condition(last);
      },
      what,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${String(error)}; last deliveries: ${JSON.stringify(last)}`);
  }
  return last;
}

/** `replayDelivery(id)`: the delivery as the mutation answered it. */
export async function replayDelivery(url: string, id: string): Promise<{ id: string; state: string }> {
  const answer = await sendGraphQL<{ replayDelivery: { id: string; state: string } }>(url, REPLAY, { id });
  const replayed = answer.body.data?.replayDelivery;
  if (!replayed) throw new Error(`replayDelivery failed: ${JSON.stringify(answer.body)}`);
  return replayed;
}

/** The circuit state the gateway reports for `target` (e.g. `OPEN`). */
export async function circuitOf(url: string, target: 'INVENTORY' | 'CRM'): Promise<string | undefined> {
  const answer = await sendGraphQL<{ targets: { target: string; circuit: string }[] }>(url, TARGETS);
  return answer.body.data?.targets.find((entry) => entry.target === target)?.circuit;
}
