// Example frontend code: an Apollo Client for the gateway, with the generated possibleTypes and trusted-document hashes.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import generatedPossibleTypes from './__generated__/possible-types.js';
import { documentIdOf, documentTextOf } from './trusted-document.js';

/** Which object types each union and interface may be: InMemoryCache matches `... on TargetFailure` with it. */
export const possibleTypes = generatedPossibleTypes.possibleTypes;

export interface GatewayClientOptions {
  /** The gateway's GraphQL endpoint. */
  readonly gatewayUrl: string;
  /**
   * The cache. Whatever you pass, give it `possibleTypes`: without them InMemoryCache drops every field
   * selected through a fragment on an interface or union (a failure's `message`, `retryable`, `httpStatus`).
   * @default new InMemoryCache({ possibleTypes })
   */
  readonly cache?: InMemoryCache;
  /**
   * Names this client to the gateway (`apollographql-client-name`); with authentication off, idempotency
   * keys are scoped to it.
   * @default 'place-order-example'
   */
  readonly clientName?: string;
  /** An API key or JWT, sent as `Authorization: Bearer <token>`. @default none (authentication off) */
  readonly token?: string;
}

/** Creates an Apollo Client that sends the generated documents by hash and keeps failure details in its cache. */
export function createGatewayClient(options: GatewayClientOptions): ApolloClient {
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
    uri: options.gatewayUrl,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    // The resent text must be the manifest's, byte for byte: the server checks it against the hash.
    print: (node, print) => documentTextOf(node) ?? print(node),
  });
  return new ApolloClient({
    link: ApolloLink.from([persistedQueries, http]),
    cache: options.cache ?? new InMemoryCache({ possibleTypes }),
    clientAwareness: { name: options.clientName ?? 'place-order-example' },
  });
}
