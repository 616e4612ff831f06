// The fuzzing oracle: every answer is data or a clear client error, never a 5xx, and refused input reaches no upstream.
import { expect } from 'vitest';
import { isClientFacingCode } from '../../src/graphql/format-error.js';
import { describeAnswer, type RawAnswer, type RawRequest, sendRaw } from './raw-http.js';
import type { TestGateway } from './start-test-gateway.js';

/** What a clear answer turned out to be. */
export type Verdict =
  /** GraphQL data without errors. */
  | { readonly kind: 'data'; readonly data: Record<string, unknown> }
  /** GraphQL errors, each with a client-facing `extensions.code`; `data` is null or partial. */
  | { readonly kind: 'errors'; readonly codes: readonly string[]; readonly data: unknown }
  /** Refused by the HTTP layer before GraphQL ran, with Fastify's own error body (`code` FST_ERR_...). */
  | { readonly kind: 'refused'; readonly status: number; readonly code: string | undefined }
  /** An answer to HEAD, which has no body to judge. */
  | { readonly kind: 'bodiless'; readonly status: number };

const failureMembers = [
  'UpstreamRejected',
  'UpstreamUnavailable',
  'UpstreamTimeout',
  'InvalidUpstreamResponse',
  'CircuitOpen',
  'RateLimited',
];
const inventoryMember = new RegExp(`^(${['StockDeducted', 'DeliveryQueued', ...failureMembers].join('|')})$`);
const crmMember = new RegExp(`^(${['ActivityLogged', 'DeliveryQueued', ...failureMembers].join('|')})$`);

/**
 * Judges one answer: below 500, and GraphQL data, GraphQL errors whose codes are all client-facing
 * (never INTERNAL_SERVER_ERROR), or a 4xx from the HTTP layer. Throws, naming the answer, otherwise.
 */
export function judgeAnswer(answer: RawAnswer): Verdict {
  const context = describeAnswer(answer);
  expect(answer.status, context).toBeLessThan(500);
  if (answer.request.method === 'HEAD') return { kind: 'bodiless', status: answer.status };
  const body = answer.json;
  if (isRecord(body) && Array.isArray(body.errors)) {
    expect(body.errors.length, context).toBeGreaterThan(0);
    const codes = body.errors.map((error: unknown) => String(isRecord(error) ? codeOf(error) : error));
    for (const code of codes)
      expect(isClientFacingCode(code), `unclear code ${code} in ${context}`).toBe(true);
    expect(answer.status === 200 || answer.status >= 400, context).toBe(true);
    return { kind: 'errors', codes, data: body.data };
  }
  if (isRecord(body) && isRecord(body.data)) {
    expect(answer.status, context).toBe(200);
    return { kind: 'data', data: body.data };
  }
  // Fastify answers bad JSON, unsupported media types and unknown routes itself, before Apollo sees them.
  expect(answer.status, context).toBeGreaterThanOrEqual(400);
  expect(
    isRecord(body) && body.statusCode === answer.status && typeof body.message === 'string',
    context,
  ).toBe(true);
  const code = isRecord(body) && typeof body.code === 'string' ? body.code : undefined;
  return { kind: 'refused', status: answer.status, code };
}

/** Every request either demo upstream has received so far. */
export function upstreamCalls(gateway: TestGateway): number {
  return gateway.inventory.requestCount() + gateway.crm.requestCount();
}

/**
 * Sends one request and judges its answer. Unless `mayReachUpstream`, no upstream call may have been made
 * by the time the answer arrived (the gateway answers a mutation only once its writes have settled).
 */
export async function sendAndJudge(
  gateway: TestGateway,
  request: RawRequest,
  mayReachUpstream: boolean,
): Promise<{ verdict: Verdict; answer: RawAnswer }> {
  const before = upstreamCalls(gateway);
  const answer = await sendRaw(gateway.url, request);
  const verdict = judgeAnswer(answer);
  if (!mayReachUpstream) {
    expect(upstreamCalls(gateway), `an upstream was called for ${describeAnswer(answer)}`).toBe(before);
  }
  return { verdict, answer };
}

/** A POST of one GraphQL operation as JSON, the way every client sends it. */
export function graphqlRequest(
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): RawRequest {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  };
}

/** A well-formed PlaceOrderPayload for `orderId`: a known status and one union member per target. */
export function expectPlaceOrderPayload(payload: unknown, orderId: unknown): void {
  expect(payload).toMatchObject({
    orderId,
    status: expect.stringMatching(/^(SUCCEEDED|PARTIALLY_SUCCEEDED|FAILED|ACCEPTED)$/),
    inventory: { __typename: expect.stringMatching(inventoryMember) },
    crm: { __typename: expect.stringMatching(crmMember) },
  });
}

/** The gateway process still serves: GET /healthz answers 200. */
export async function expectHealthy(gateway: TestGateway): Promise<void> {
  const response = await fetch(new URL('/healthz', gateway.url));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', version: expect.any(String) });
}

function codeOf(error: Record<string, unknown>): unknown {
  return isRecord(error.extensions) ? error.extensions.code : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
