// Example frontend code: send placeOrder to a running gateway through Apollo Client, fully typed by codegen.
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PlaceOrderDocument, type PlaceOrderMutation } from './__generated__/graphql.js';

type Payload = PlaceOrderMutation['placeOrder'];

const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const client = new ApolloClient({ link: new HttpLink({ uri: gatewayUrl }), cache: new InMemoryCache() });

/** One line per target: the success, or what failed and whether a retry could help. */
function describeInventory(result: Payload['inventory']): string {
  switch (result.__typename) {
    case 'StockDeducted':
      return `stock deducted (${result.deductionId}): ${result.items.map((item) => `${item.quantity}× ${item.sku}, ${item.remaining} left`).join('; ')}`;
    case 'UpstreamRejected':
      return `rejected ${result.httpStatus} ${result.code ?? ''}: ${result.message}`;
    default:
      return `${result.__typename}: ${result.message} (retryable: ${result.retryable})`;
  }
}

function describeCrm(result: Payload['crm']): string {
  switch (result.__typename) {
    case 'ActivityLogged':
      return `activity logged (${result.activityId}) at ${result.loggedAt}`;
    case 'UpstreamRejected':
      return `rejected ${result.httpStatus} ${result.code ?? ''}: ${result.message}`;
    default:
      return `${result.__typename}: ${result.message} (retryable: ${result.retryable})`;
  }
}

const { data } = await client.mutate({
  mutation: PlaceOrderDocument,
  variables: {
    input: {
      orderId: `order-${Date.now()}`,
      customerId: 'CUST-1',
      items: [{ sku: 'SKU-RED-MUG', quantity: 2 }],
    },
  },
  // A write's answer belongs to this call only; keeping it out of the cache also spares possibleTypes set-up.
  fetchPolicy: 'no-cache',
});
if (!data) throw new Error('the gateway answered without data');
const payload = data.placeOrder;
console.log(`order ${payload.orderId}: ${payload.status} in ${payload.durationMs} ms`);
console.log(`  inventory: ${describeInventory(payload.inventory)}`);
console.log(`  crm:       ${describeCrm(payload.crm)}`);
