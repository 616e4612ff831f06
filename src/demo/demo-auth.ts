// Authentication checks of the demo upstreams: Bearer token for Inventory, X-API-Key for CRM.
import type { IncomingHttpHeaders } from 'node:http';
import { type ContractAnswer, errorAnswer } from './contract-answer.js';

/** Returns undefined when the request may pass, otherwise the 401 answer to send. */
export type Authorizer = (headers: IncomingHttpHeaders) => ContractAnswer | undefined;

/** Accepts only `Authorization: Bearer <token>`. */
export function bearerTokenAuthorizer(token: string): Authorizer {
  const expected = `Bearer ${token}`;
  const refusal = errorAnswer(401, 'unauthorized', 'Missing or wrong bearer token in Authorization');
  return (headers) => (headers.authorization === expected ? undefined : refusal);
}

/** Accepts only `X-API-Key: <apiKey>`. */
export function apiKeyAuthorizer(apiKey: string): Authorizer {
  const refusal = errorAnswer(401, 'unauthorized', 'Missing or wrong X-API-Key');
  return (headers) => (headers['x-api-key'] === apiKey ? undefined : refusal);
}
