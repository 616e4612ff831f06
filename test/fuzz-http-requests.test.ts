// Property-based fuzzing of the HTTP layer: methods, content types, malformed, batched and empty bodies, GET parameters.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { expectHealthy, sendAndJudge } from './support/judge-answer.js';
import { hostileText } from './support/labelled-inputs.js';
import { order, PLACE_ORDER } from './support/operations.js';
import type { RawRequest } from './support/raw-http.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const mutation = { query: PLACE_ORDER, variables: { input: order('http-fuzz') } };
const mutationJson = JSON.stringify(mutation);
const encode = (text: string) => new TextEncoder().encode(text);

/** A body and whether it is one GraphQL operation, the only kind that may run. */
interface BodyCase {
  readonly body: Uint8Array;
  readonly isOneOperation: boolean;
}
const bodyOf = (text: string, isOneOperation = false): BodyCase => ({ body: encode(text), isOneOperation });

/**
 * Bodies, always sent as bytes so that fetch adds no content type of its own: the valid mutation, every
 * truncation of it, random bytes, any JSON value (arrays are batches), form and multipart encodings of
 * it, an oversized body, and a prototype-pollution attempt.
 */
const anyBody: fc.Arbitrary<BodyCase> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(bodyOf(mutationJson, true)) },
  {
    weight: 2,
    arbitrary: fc.nat({ max: mutationJson.length - 1 }).map((cut) => bodyOf(mutationJson.slice(0, cut))),
  },
  fc.uint8Array({ maxLength: 64 }).map((body) => ({ body, isOneOperation: false })),
  fc.jsonValue({ maxDepth: 3 }).map((value) => bodyOf(JSON.stringify(value))),
  fc.constantFrom(
    bodyOf(JSON.stringify([mutation])),
    bodyOf(''),
    bodyOf(
      `query=${encodeURIComponent(mutation.query)}&variables=${encodeURIComponent(JSON.stringify(mutation.variables))}`,
    ),
    bodyOf(
      `--fuzz\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${mutationJson}\r\n--fuzz--\r\n`,
    ),
    bodyOf(`{"query":"${'x'.repeat(2 ** 20)}"}`),
    bodyOf('{"query":"{ __typename }","__proto__":{"polluted":true}}'),
  ),
);

const jsonContentTypes = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'];
const otherContentTypes = [
  ...[
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=f',
  ],
  ...['application/graphql', 'application/graphql-response+json', 'application/octet-stream', ';;;', ''],
];
const anyContentType = fc.constantFrom(undefined, ...jsonContentTypes, ...otherContentTypes);

/** Only a JSON POST of one operation may run it; text/plain, forms and multipart are what CSRF prevention blocks. */
function mayRun(method: string, contentType: string | undefined, body: BodyCase): boolean {
  return method === 'POST' && body.isOneOperation && jsonContentTypes.includes(contentType ?? '');
}

function withContentType(contentType: string | undefined, preflight: boolean): Record<string, string> {
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
  if (preflight) headers['apollo-require-preflight'] = 'true';
  return headers;
}

describe('fuzzed HTTP requests', () => {
  it('runs the mutation from a JSON POST and from nothing else, answering any method, content type and body clearly', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    const method = fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS');
    await fc.assert(
      fc.asyncProperty(
        method,
        anyContentType,
        fc.boolean(),
        anyBody,
        async (verb, contentType, preflight, body) => {
          const request: RawRequest = {
            method: verb,
            headers: withContentType(contentType, preflight),
            body: body.body,
          };
          const runs = mayRun(verb, contentType, body);
          const { verdict } = await sendAndJudge(gateway, request, runs);
          if (runs) expect(verdict.kind).toBe('data');
        },
      ),
      { numRuns: 150 },
    );
    await expectHealthy(gateway);
  });

  it('refuses a JSON array of operations with BAD_REQUEST, as batching is off, running none of them', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    const operation = fc.constantFrom(mutation, { query: '{ targets { target } }' });
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 5 }), async (batch) => {
        const request = { headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) };
        const { verdict, answer } = await sendAndJudge(gateway, request, false);
        expect(answer.status).toBe(400);
        expect(verdict).toMatchObject({ kind: 'errors', codes: ['BAD_REQUEST'] });
      }),
      { numRuns: 25 },
    );
    await expectHealthy(gateway);
  });

  it('refuses an empty body under every method and content type without calling an upstream', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    const method = fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE');
    await fc.assert(
      fc.asyncProperty(method, anyContentType, fc.boolean(), async (verb, contentType, preflight) => {
        const request = {
          method: verb,
          headers: withContentType(contentType, preflight),
          body: new Uint8Array(),
        };
        const { answer } = await sendAndJudge(gateway, request, false);
        expect(answer.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 40 },
    );
    await expectHealthy(gateway);
  });

  it('runs no mutation from GET or HEAD query parameters, whatever they hold', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    const absentOr = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
    const parameters = fc.record({
      query: absentOr(
        fc.oneof(fc.constantFrom(PLACE_ORDER, '{ targets { target } }', 'mutation { x }'), hostileText(40)),
      ),
      variables: absentOr(fc.oneof(fc.constant(JSON.stringify(mutation.variables)), hostileText(20))),
      operationName: absentOr(fc.oneof(fc.constant('PlaceOrder'), hostileText(10))),
      extensions: absentOr(fc.oneof(fc.constant('{}'), hostileText(10))),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD'),
        parameters,
        fc.boolean(),
        async (verb, params, preflight) => {
          const present = Object.entries(params).filter(
            (entry): entry is [string, string] => entry[1] !== undefined,
          );
          const search = `?${new URLSearchParams(present).toString()}`;
          const { verdict } = await sendAndJudge(
            gateway,
            { method: verb, search, headers: withContentType(undefined, preflight) },
            false,
          );
          if (params.query === PLACE_ORDER) expect(verdict.kind).not.toBe('data');
        },
      ),
      { numRuns: 60 },
    );
    await expectHealthy(gateway);
  });
});
