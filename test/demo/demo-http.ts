// Test helper: real HTTP calls against the demo upstreams with undici, answers read as text and JSON.
import { request } from 'undici';
import { DEMO_CRM_API_KEY, DEMO_INVENTORY_TOKEN } from '../../src/demo/index.js';

/** Headers that authenticate against the demo Inventory server. */
export const inventoryAuth = { authorization: `Bearer ${DEMO_INVENTORY_TOKEN}` };

/** Headers that authenticate against the demo CRM server. */
export const crmAuth = { 'x-api-key': DEMO_CRM_API_KEY };

/** One answer as the client saw it. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = Record<string, unknown>>(): T;
}

/** Options of one call. */
export interface CallOptions {
  /** Sent as JSON unless it is a string, which is sent as-is. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** Sends one request to `baseUrl + path` and reads the whole answer. */
export async function call(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: CallOptions = {},
): Promise<HttpAnswer> {
  const hasBody = options.body !== undefined;
  const response = await request(`${baseUrl}${path}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: hasBody
      ? typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body)
      : undefined,
    signal: options.signal,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}

/** A valid inventory order. */
export function deductBody(orderId: string, items: { sku: string; quantity: number }[] = []) {
  return { orderId, items: items.length > 0 ? items : [{ sku: 'SKU-RED-MUG', quantity: 1 }] };
}

/** A valid CRM activity for `customerId`. */
export function activityBody(orderId: string, customerId = 'CUST-1') {
  return { customerId, orderId, type: 'order_placed', details: { itemCount: 1 } };
}
