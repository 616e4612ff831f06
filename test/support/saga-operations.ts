// GraphQL documents and answer types of the ALL_OR_NOTHING saga tests: payloads with compensations, deliveries.
import { payloadFields } from './operations.js';
import type { GraphQLResponse } from './start-test-gateway.js';

const queuedFields = `... on DeliveryQueued { deliveryId attempts lastFailure nextAttemptAt }`;

const sagaPayloadFields = `
  ${payloadFields}
  inventory { ${queuedFields} }
  crm { ${queuedFields} }
  compensations { target state deliveryId attempts lastFailure writeWasApplied }
`;

export const PLACE_SAGA = /* GraphQL */ `
  mutation PlaceSaga($input: PlaceOrderInput!, $options: FanoutOptions) {
    placeOrder(input: $input, options: $options) { ${sagaPayloadFields} }
  }
`;

export const PLACE_SAGAS = /* GraphQL */ `
  mutation PlaceSagas($inputs: [PlaceOrderInput!]!, $options: FanoutOptions) {
    placeOrders(inputs: $inputs, options: $options) { ${sagaPayloadFields} }
  }
`;

const deliveryFields = `id orderId target kind state attempts lastFailure nextAttemptAt deliveredAt`;

export const DELIVERY = /* GraphQL */ `
  query Delivery($id: ID!) { delivery(id: $id) { ${deliveryFields} } }
`;

export const ORDER_DELIVERIES = /* GraphQL */ `
  query OrderDeliveries($orderId: ID!, $kind: DeliveryKind) {
    deliveries(filter: { orderId: $orderId, kind: $kind }, first: 10) { nodes { ${deliveryFields} } }
  }
`;

export const DELIVERY_UPDATED = /* GraphQL */ `
  subscription Watch($orderId: ID, $deliveryId: ID) {
    deliveryUpdated(orderId: $orderId, deliveryId: $deliveryId) { ${deliveryFields} }
  }
`;

/** A target's member as the tests read it: its typename plus whatever fields it has. */
export type Member = { readonly __typename: string } & Readonly<Record<string, unknown>>;

export interface Compensation {
  readonly target: 'INVENTORY' | 'CRM';
  readonly state: 'COMPENSATED' | 'PENDING' | 'FAILED';
  readonly deliveryId: string;
  readonly attempts: number;
  readonly lastFailure: string | null;
  readonly writeWasApplied: boolean | null;
}

export interface SagaPayload {
  readonly orderId: string;
  readonly status: string;
  readonly inventory: Member;
  readonly crm: Member;
  readonly compensations: readonly Compensation[];
}

export interface DeliveryNode {
  readonly id: string;
  readonly orderId: string;
  readonly target: 'INVENTORY' | 'CRM';
  readonly kind: 'WRITE' | 'COMPENSATION';
  readonly state: string;
  readonly attempts: number;
  readonly lastFailure: string | null;
  readonly nextAttemptAt: string | null;
  readonly deliveredAt: string | null;
}

/** Sends GraphQL operations to one gateway (TestGateway.graphql fits). */
export type SendGraphQL = <T>(
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
) => Promise<GraphQLResponse<T>>;

/** The ALL_OR_NOTHING options, plus any others (delivery, deadlineMs, idempotencyKey). */
export function allOrNothing(options: Record<string, unknown> = {}): Record<string, unknown> {
  return { consistency: 'ALL_OR_NOTHING', ...options };
}

/**
 * Places one order and returns its payload.
 * @throws when the answer has errors or no payload (the error names the whole body)
 */
export async function placeSaga(
  graphql: SendGraphQL,
  input: Record<string, unknown>,
  options: Record<string, unknown> = allOrNothing(),
): Promise<SagaPayload> {
  const response = await graphql<{ placeOrder: SagaPayload }>(PLACE_SAGA, { input, options });
  const payload = response.body.data?.placeOrder;
  if (!payload || response.body.errors) throw new Error(JSON.stringify(response.body));
  return payload;
}

/** One delivery by id, or null. */
export async function deliveryById(graphql: SendGraphQL, id: string): Promise<DeliveryNode | null> {
  const response = await graphql<{ delivery: DeliveryNode | null }>(DELIVERY, { id });
  if (response.body.errors) throw new Error(JSON.stringify(response.body));
  return response.body.data?.delivery ?? null;
}

/** The order's deliveries of `kind` (every kind when omitted), oldest first. */
export async function deliveriesOf(
  graphql: SendGraphQL,
  orderId: string,
  kind?: DeliveryNode['kind'],
): Promise<readonly DeliveryNode[]> {
  const response = await graphql<{ deliveries: { nodes: DeliveryNode[] } }>(ORDER_DELIVERIES, {
    orderId,
    kind,
  });
  if (response.body.errors) throw new Error(JSON.stringify(response.body));
  return response.body.data?.deliveries.nodes ?? [];
}

/** The compensation entry of `target`; throws when the payload has none. */
export function compensationOf(payload: SagaPayload, target: Compensation['target']): Compensation {
  const entry = payload.compensations.find((compensation) => compensation.target === target);
  if (!entry) throw new Error(`no ${target} compensation in ${JSON.stringify(payload)}`);
  return entry;
}
