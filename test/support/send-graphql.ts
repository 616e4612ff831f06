// POSTs (or GETs) one GraphQL operation and keeps what the auth tests read: status, headers and body.
import type { GraphQLResponse } from './start-test-gateway.js';

export interface GraphQLExchange<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: GraphQLResponse<T>['body'];
}

/** POSTs the operation with `headers` (e.g. credentials) and parses the JSON answer. */
export async function sendGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLExchange<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLExchange<T>['body'],
  };
}
