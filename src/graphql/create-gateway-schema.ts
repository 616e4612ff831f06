// The one executable schema, built once: Apollo serves it over HTTP and graphql-ws over WebSocket.
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { createSubgraphSchema } from './create-subgraph-schema.js';
import { foldTypeExtensions } from './fold-type-extensions.js';
import { loadTypeDefs } from './load-type-defs.js';
import { resolvers } from './resolvers.js';

/**
 * The schema/ SDL with the resolvers; as a Federation 2 subgraph (`_service { sdl }`) when `subgraph`.
 * @param subgraph @default false
 */
export function createGatewaySchema(subgraph = false): GraphQLSchema {
  const typeDefs = loadTypeDefs();
  // Composition tools read `_service { sdl }` in one pass: one definition per type, no `extend type`.
  if (subgraph) return createSubgraphSchema([foldTypeExtensions(typeDefs)], resolvers);
  return makeExecutableSchema({ typeDefs, resolvers });
}
