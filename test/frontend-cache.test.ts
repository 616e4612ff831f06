// Apollo Client's InMemoryCache against a real gateway whose upstream fails: the generated possibleTypes keep a failure's details.
import { format } from 'node:util';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, OperationTypeNode } from 'graphql';
import { map } from 'rxjs';
import { afterEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import {
  PlaceOrderDocument,
  type PlaceOrderMutation,
  type PlaceOrderMutationVariables,
} from '../examples/client/__generated__/graphql.js';
import { possibleTypes } from '../examples/client/create-gateway-client.js';
import type { Fault } from '../src/demo/index.js';
import { order } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

type Payload = PlaceOrderMutation['placeOrder'];

let running: TestGateway | undefined;
let consoleWarn: MockInstance<typeof console.warn> | undefined;
afterEach(async () => {
  consoleWarn?.mockRestore();
  await running?.close();
  running = undefined;
});

/** Private: what Apollo Client warned about (development builds warn when a fragment cannot be matched). */
function apolloWarnings(): string[] {
  return (consoleWarn?.mock.calls ?? []).map((call) => format(...call));
}

/** One failing upstream answer per case, on either target's union, and what the payload must then carry. */
const cases = [
  {
    name: 'an Inventory 409 (UpstreamRejected)',
    target: 'inventory',
    fault: { kind: 'status', status: 409, body: { error: 'insufficient_stock', message: 'only 1 left' } },
    expected: {
      __typename: 'UpstreamRejected',
      target: 'INVENTORY',
      message: 'Inventory API rejected the request (409 insufficient_stock)',
      retryable: false,
      attempts: 1,
      httpStatus: 409,
      code: 'insufficient_stock',
    },
  },
  {
    name: 'a CRM 503 (UpstreamUnavailable)',
    target: 'crm',
    fault: { kind: 'status', status: 503 },
    expected: {
      __typename: 'UpstreamUnavailable',
      target: 'CRM',
      message: expect.stringMatching(/^CRM API answered 503/),
      retryable: true,
      attempts: 1,
      httpStatus: 503,
      retryAfterMs: null,
    },
  },
] as const;

describe.each(cases)('after $name', ({ target, fault, expected }) => {
  it('keeps __typename, message, retryable and httpStatus in InMemoryCache with the generated possibleTypes', async () => {
    const session = await placeFailingOrder(fault, target, new InMemoryCache({ possibleTypes }));

    expect(session.network?.[target]).toEqual(expected);
    // client.mutate's data is what Apollo Client 4 read back from the cache after writing the answer.
    expect(session.mutateData?.[target]).toEqual(expected);
    // And a later read of the cache itself (the mutation's root fields kept) gives the same failure.
    expect(session.readBack()?.[target]).toEqual(expected);
    expect(session.mutateData).toEqual(session.network);
    expect(apolloWarnings()).toEqual([]);
  });

  it('loses them in the same cache without possibleTypes (the control)', async () => {
    const session = await placeFailingOrder(fault, target, new InMemoryCache());

    // The gateway sent every field; the cache cannot match `... on TargetFailure` and keeps only __typename.
    expect(session.network?.[target]).toEqual(expected);
    expect(session.mutateData?.[target]).toEqual({ __typename: expected.__typename });
    expect(session.readBack()?.[target]).toEqual({ __typename: expected.__typename });
    expect(apolloWarnings()).toContainEqual(
      expect.stringContaining(
        `Cannot match fragment \`TargetFailureDetails\` on \`TargetFailure\` against \`${expected.__typename}\``,
      ),
    );
  });
});

interface CacheSession {
  /** The payload as the gateway sent it, seen by a link before the cache. */
  readonly network: Payload | undefined;
  /** The payload `client.mutate` resolved with. */
  readonly mutateData: Payload | undefined;
  /** Reads the payload from the cache now. */
  readBack(): Payload | undefined;
}

/** Private: starts a gateway whose `target` fails once with `fault`, and places one order through Apollo Client. */
async function placeFailingOrder(
  fault: Fault,
  target: 'inventory' | 'crm',
  cache: InMemoryCache,
): Promise<CacheSession> {
  // One attempt per target, so the fault is the answer (retries are test/retries.test.ts's subject).
  running = await startTestGateway({ env: { INVENTORY_MAX_ATTEMPTS: '1', CRM_MAX_ATTEMPTS: '1' } });
  running[target].faults.enqueue(fault);
  consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const networkResults: Payload[] = [];
  const recordNetworkResult = new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      map((result) => {
        const data = result.data as PlaceOrderMutation | null | undefined;
        if (data) networkResults.push(structuredClone(data.placeOrder));
        return result;
      }),
    ),
  );
  const client = new ApolloClient({
    link: ApolloLink.from([recordNetworkResult, new HttpLink({ uri: running.url })]),
    cache,
  });
  const variables: PlaceOrderMutationVariables = { input: order(`cache-${target}`) };
  // keepRootFields: Apollo otherwise clears ROOT_MUTATION after the mutation, leaving nothing to read back.
  const { data } = await client.mutate({ mutation: PlaceOrderDocument, variables, keepRootFields: true });

  expect(networkResults).toHaveLength(1);
  expect(data?.placeOrder.status).toBe('PARTIALLY_SUCCEEDED');
  return {
    network: networkResults[0],
    mutateData: data?.placeOrder,
    readBack: () =>
      cache.readQuery({ query: asQuery(PlaceOrderDocument), variables, id: 'ROOT_MUTATION' })?.placeOrder,
  };
}

/** Private: the mutation's selection as a query, the form InMemoryCache reads a root object with. */
function asQuery<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
): TypedDocumentNode<TData, TVariables> {
  return {
    ...document,
    definitions: document.definitions.map((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION
        ? { ...definition, operation: OperationTypeNode.QUERY }
        : definition,
    ),
  };
}
