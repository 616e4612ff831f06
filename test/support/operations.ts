// GraphQL documents and inputs shared by the cross-module tests.

const targetFailureFields = `
  __typename
  ... on TargetFailure { target message retryable attempts }
  ... on UpstreamRejected { httpStatus code }
  ... on UpstreamUnavailable { httpStatus retryAfterMs }
  ... on UpstreamTimeout { timeoutMs }
  ... on InvalidUpstreamResponse { httpStatus }
  ... on CircuitOpen { retryAfterMs }
  ... on RateLimited { retryAfterMs }
`;

export const payloadFields = `
  orderId
  status
  durationMs
  inventory {
    ${targetFailureFields}
    ... on StockDeducted { deductionId replayed attempts items { sku quantity remaining } }
  }
  crm {
    ${targetFailureFields}
    ... on ActivityLogged { activityId loggedAt replayed attempts }
  }
`;

export const PLACE_ORDER = `
  mutation PlaceOrder($input: PlaceOrderInput!, $options: FanoutOptions) {
    placeOrder(input: $input, options: $options) { ${payloadFields} }
  }
`;

export const PLACE_ORDERS = `
  mutation PlaceOrders($inputs: [PlaceOrderInput!]!, $options: FanoutOptions) {
    placeOrders(inputs: $inputs, options: $options) { ${payloadFields} }
  }
`;

/** A target's result as the tests read it: the union member's typename plus whatever fields it has. */
export type ResultMember = { __typename: string } & Record<string, unknown>;

export interface Payload {
  orderId: string;
  status: 'SUCCEEDED' | 'PARTIALLY_SUCCEEDED' | 'FAILED';
  durationMs: number;
  inventory: ResultMember;
  crm: ResultMember;
}

export function order(orderId: string, overrides: Record<string, unknown> = {}) {
  return { orderId, customerId: 'CUST-1', items: [{ sku: 'SKU-RED-MUG', quantity: 1 }], ...overrides };
}
