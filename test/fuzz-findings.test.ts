// Defects the fuzzing found, kept as properties so they stay fixed: each failed on its first sample before the fix.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { expectHealthy, graphqlRequest, sendAndJudge } from './support/judge-answer.js';
import { order, PLACE_ORDER } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));

describe('client mistakes the fuzzing found answered as gateway bugs, now client errors', () => {
  // graphql-js executes it and throws "Schema is not configured to execute subscription operation"
  // without a code, so formatError masks it as INTERNAL_SERVER_ERROR and logs it at error level.
  it('answers a subscription, which the schema does not offer, with a client error rather than INTERNAL_SERVER_ERROR', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    const subscription = fc
      .tuple(
        fc.constantFrom('', 'OnTargets'),
        fc.constantFrom('targets { target }', '__typename', 'placeOrder'),
      )
      .map(([name, selection]) => `subscription ${name} { ${selection} }`);
    await fc.assert(
      fc.asyncProperty(subscription, async (query) => {
        await sendAndJudge(gateway, graphqlRequest(query), false);
      }),
      { numRuns: 10 },
    );
    await expectHealthy(gateway);
  });

  // Apollo answers an unsupported version and a hash that does not match the query with a plain
  // GraphQLError without a code; formatError masks both as INTERNAL_SERVER_ERROR.
  it('answers a malformed persisted-query extension with a client error rather than INTERNAL_SERVER_ERROR', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    const persistedQuery = fc.oneof(
      fc.record({ version: fc.jsonValue().filter((version) => version !== 1), sha256Hash: fc.string() }),
      fc.record({ version: fc.constant(1), sha256Hash: fc.stringMatching(/^[0-9a-f]{64}$/) }),
      fc.constantFrom('yes', true, 2),
    );
    await fc.assert(
      fc.asyncProperty(persistedQuery, async (extension) => {
        const request = {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: '{ targets { target } }',
            extensions: { persistedQuery: extension },
          }),
        };
        await sendAndJudge(gateway, request, false);
      }),
      { numRuns: 20 },
    );
    await expectHealthy(gateway);
  });
});

describe('idempotency keys that are not well-formed Unicode', () => {
  // The store key used to hash `${client}\0${key}` as UTF-8, which turns every lone surrogate into
  // U+FFFD: "k\uD800", "k\uDBFF" and "k\uFFFD" shared one record. Keys must now be well-formed Unicode,
  // and store keys hash JSON, which keeps lone surrogates apart.
  it('never answers a new idempotency key with the payload stored under another key', async () => {
    const gateway = await startTestGateway();
    running = gateway;
    const keyPair = fc
      .tuple(fc.string({ maxLength: 10 }), loneSurrogate, fc.oneof(loneSurrogate, fc.constant('\uFFFD')))
      .filter(([, first, second]) => first !== second)
      .map(([prefix, first, second]) => [`${prefix}${first}`, `${prefix}${second}`] as const);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(keyPair, async ([firstKey, secondKey]) => {
        const headers = { 'apollographql-client-name': `surrogate-keys-${++run}` };
        const input = order(`surrogate-${run}`);
        const send = (idempotencyKey: string) =>
          sendAndJudge(
            gateway,
            graphqlRequest(PLACE_ORDER, { input, options: { idempotencyKey } }, headers),
            true,
          );
        const first = await send(firstKey);
        expect(first.answer.json).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
        const { answer } = await send(secondKey);
        expect(answer.json).not.toMatchObject({ extensions: { idempotentReplay: true } });
      }),
      { numRuns: 10 },
    );
    await expectHealthy(gateway);
  });
});
