// Example frontend code: PlaceOrder over plain fetch, typed by the generated PlaceOrderMutation and its variables.
import {
  PlaceOrderDocument,
  type PlaceOrderMutation,
  type PlaceOrderMutationVariables,
} from './__generated__/graphql.js';
import { documentTextOf } from './trusted-document.js';

/** An `errors[]` entry: bad requests and gateway faults only, each with a stable `extensions.code`. */
export interface GatewayError {
  readonly message: string;
  readonly extensions?: { readonly code?: string } & Record<string, unknown>;
}

/** A GraphQL-over-HTTP answer: target failures are in `data`, never in `errors`. */
export interface GraphQLAnswer<TData> {
  readonly data?: TData | null;
  readonly errors?: readonly GatewayError[];
}

export interface SendOptions {
  /**
   * Names this client to the gateway; with authentication off, idempotency keys are scoped to it.
   * @default 'place-order-fetch-example'
   */
  readonly clientName?: string;
  /** An API key or JWT, sent as `Authorization: Bearer <token>`. @default none (authentication off) */
  readonly token?: string;
}

/** The document's text exactly as the trusted-documents manifest holds it (codegen wrote both). */
const PLACE_ORDER_TEXT = documentTextOf(PlaceOrderDocument);

/**
 * POSTs PlaceOrder and returns the parsed answer. Throws when the answer is not GraphQL at all (a proxy's
 * 502 page, a dropped connection); a GraphQL error answer comes back with its `errors`.
 */
export async function sendPlaceOrder(
  gatewayUrl: string,
  variables: PlaceOrderMutationVariables,
  options: SendOptions = {},
): Promise<GraphQLAnswer<PlaceOrderMutation>> {
  if (PLACE_ORDER_TEXT === undefined)
    throw new Error('PlaceOrder is not in the manifest: run `npm run codegen`');
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      'apollographql-client-name': options.clientName ?? 'place-order-fetch-example',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query: PLACE_ORDER_TEXT, operationName: 'PlaceOrder', variables }),
  });
  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/(graphql-response\+)?json/.test(type)) {
    throw new Error(`the gateway answered HTTP ${response.status} with ${type || 'no content type'}`);
  }
  // The generated type is a compile-time promise about this gateway's schema, not a run-time check.
  return (await response.json()) as GraphQLAnswer<PlaceOrderMutation>;
}
