// Example frontend code: send placeOrder to a running gateway through Apollo Client, fully typed by codegen, by its trusted-document hash.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import type { ASTNode } from 'graphql';
import { PlaceOrderDocument, type PlaceOrderMutation } from './__generated__/graphql.js';
import persistedDocuments from './__generated__/persisted-documents.json' with { type: 'json' };

type Payload = PlaceOrderMutation['placeOrder'];

const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
/** The manifest codegen wrote: each document's exact text under its id, `sha256:<hex>`. */
const manifest: Readonly<Record<string, string>> = persistedDocuments;

/** The id codegen put in a generated document's `__meta__` (persistedDocuments in codegen.yml). */
function documentIdOf(node: ASTNode): string | undefined {
  const meta = (node as { __meta__?: { hash?: unknown } }).__meta__;
  return typeof meta?.hash === 'string' ? meta.hash : undefined;
}

// Sends the hash instead of the text (APQ's extensions.persistedQuery.sha256Hash). A gateway with
// FANOUT_TRUSTED_DOCUMENTS runs its stored copy; one without answers PERSISTED_QUERY_NOT_FOUND once and
// the link resends with the text, which Apollo's automatic persisted queries then keep.
const persistedQueries = new PersistedQueryLink({
  generateHash: (document) => {
    const id = documentIdOf(document);
    if (!id) throw new Error('a document without a hash: run `npm run codegen`');
    return id.replace(/^sha256:/, '');
  },
});
const http = new HttpLink({
  uri: gatewayUrl,
  // The resent text must be the manifest's, byte for byte: the server checks it against the hash.
  print: (node, print) => manifest[documentIdOf(node) ?? ''] ?? print(node),
});
const client = new ApolloClient({
  link: ApolloLink.from([persistedQueries, http]),
  cache: new InMemoryCache(),
});

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
