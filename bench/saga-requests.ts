// The saga bench's requests: one selection, BEST_EFFORT or ALL_OR_NOTHING, and an order the CRM rejects.
import { BENCH_ORDER, PLACE_ORDER_MUTATION } from './scenario.js';
import { type AnswerCheck, checkGatewayAnswer } from './verify-sample.js';

/** The main scenario's selection with `$options` and the saga's `compensations`, the same for every mode. */
const PLACE_ORDER_SAGA_MUTATION = PLACE_ORDER_MUTATION.replace(
  'mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {',
  'mutation PlaceOrder($input: PlaceOrderInput!, $options: FanoutOptions) {\n  placeOrder(input: $input, options: $options) {',
).replace(
  '    durationMs\n',
  '    durationMs\n    compensations { target state attempts writeWasApplied }\n',
);

/** The SKU only the rollback orders touch, so its stock before and after says whether every restore happened. */
export const ROLLBACK_SKU = 'SKU-GREEN-TEE';

/** Not among the demo CRM's customers (CUST-1 .. CUST-1000): it answers 404 `unknown_customer` every time. */
const UNKNOWN_CUSTOMER = 'CUST-NOT-A-CUSTOMER';

/** An order the CRM rejects for good while Inventory deducts it: under ALL_OR_NOTHING, one restore per order. */
const ROLLBACK_ORDER = {
  orderId: 'bench-rollback-[<id>]',
  customerId: UNKNOWN_CUSTOMER,
  items: [{ sku: ROLLBACK_SKU, quantity: 3 }],
} as const;

function requestBody(input: object, consistency: 'BEST_EFFORT' | 'ALL_OR_NOTHING'): string {
  return JSON.stringify({
    operationName: 'PlaceOrder',
    query: PLACE_ORDER_SAGA_MUTATION,
    variables: { input, options: { consistency } },
  });
}

/** The main scenario's order, SYNC, `consistency: BEST_EFFORT` (the default, spelled out). */
export const BEST_EFFORT_BODY = requestBody(BENCH_ORDER, 'BEST_EFFORT');

/** The same order, SYNC, `consistency: ALL_OR_NOTHING`: every target succeeds, nothing is undone. */
export const ALL_OR_NOTHING_BODY = requestBody(BENCH_ORDER, 'ALL_OR_NOTHING');

/** The CRM-rejected order, SYNC, ALL_OR_NOTHING: answers ROLLED_BACK after restoring the deduction. */
export const ROLLBACK_BODY = requestBody(ROLLBACK_ORDER, 'ALL_OR_NOTHING');

const ROLLED_BACK_MARKER = '"status":"ROLLED_BACK"';

/** Whether a response body reports ROLLED_BACK; cheap enough to run on every response. */
export function reportsRolledBack(body: string | Buffer | undefined): boolean {
  return body?.includes(ROLLED_BACK_MARKER) === true;
}

interface SagaAnswer {
  data?: {
    placeOrder?: {
      status?: string;
      inventory?: { __typename?: string };
      crm?: { __typename?: string };
      compensations?: { target?: string; state?: string; writeWasApplied?: boolean | null }[];
    };
  };
}

/** SUCCEEDED with both successes (as the main scenario checks) and nothing compensated. */
export const checkSucceededSaga: AnswerCheck = (answer) => {
  const problem = checkGatewayAnswer(answer);
  if (problem !== undefined) return problem;
  const compensations = (answer as SagaAnswer).data?.placeOrder?.compensations;
  return compensations?.length === 0 ? undefined : `compensations are ${JSON.stringify(compensations)}`;
};

/** ROLLED_BACK: Inventory deducted then restored (COMPENSATED, was applied), CRM rejected. */
export const checkRolledBack: AnswerCheck = (answer) => {
  const { data, errors } = answer as SagaAnswer & { errors?: unknown[] };
  const payload = data?.placeOrder;
  if (errors !== undefined) return `GraphQL errors: ${JSON.stringify(errors)}`;
  if (payload?.status !== 'ROLLED_BACK') return `status is ${payload?.status}`;
  if (payload.inventory?.__typename !== 'StockDeducted' || payload.crm?.__typename !== 'UpstreamRejected')
    return `members are ${payload.inventory?.__typename} / ${payload.crm?.__typename}`;
  const [only, ...more] = payload.compensations ?? [];
  const restored = only?.target === 'INVENTORY' && only.state === 'COMPENSATED' && only.writeWasApplied;
  return restored && more.length === 0
    ? undefined
    : `compensations are ${JSON.stringify(payload.compensations)}`;
};
