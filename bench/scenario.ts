// The benchmark's request: one placeOrder for CUST-1, the same bytes for the gateway and the baseline.

/**
 * The order every request places (the demo's SKUs have a billion units). autocannon replaces `[<id>]`
 * with a fresh id per request: the gateway derives upstream idempotency keys from the order id, so a
 * fixed id would turn every request after the first into an upstream replay instead of a write.
 */
export const BENCH_ORDER = {
  orderId: 'bench-[<id>]',
  customerId: 'CUST-1',
  items: [
    { sku: 'SKU-RED-MUG', quantity: 2 },
    { sku: 'SKU-BLUE-PEN', quantity: 1 },
  ],
} as const;

/** A realistic client selection: both unions' members with __typename, status and durationMs. */
export const PLACE_ORDER_MUTATION = `mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    orderId
    status
    durationMs
    inventory {
      __typename
      ... on StockDeducted { deductionId replayed items { sku quantity remaining } }
      ... on TargetFailure { target message retryable attempts }
    }
    crm {
      __typename
      ... on ActivityLogged { activityId loggedAt replayed }
      ... on TargetFailure { target message retryable attempts }
    }
  }
}`;

/** The POST body: a GraphQL request. The baseline reads only `variables.input` from it. */
export const BENCH_REQUEST_BODY = JSON.stringify({
  operationName: 'PlaceOrder',
  query: PLACE_ORDER_MUTATION,
  variables: { input: BENCH_ORDER },
});

/** Both systems answer `"status":"SUCCEEDED"` when both upstreams accepted the order. */
export const SUCCESS_MARKER = '"status":"SUCCEEDED"';

/** Whether a response body (string or bytes) reports success; cheap enough to run on every response. */
export function reportsSuccess(body: string | Buffer | undefined): boolean {
  return body?.includes(SUCCESS_MARKER) === true;
}
