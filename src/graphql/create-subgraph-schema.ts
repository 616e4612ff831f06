// Subgraph mode: the schema/ SDL as an Apollo Federation 2 subgraph (`_service { sdl }`), the @link added here, not in schema/.
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { type GraphQLSchema, parse } from 'graphql';
import type { Resolvers } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';

/**
 * The Federation version the subgraph declares. Every type and field here is owned by this subgraph
 * (no entities, nothing shared), so it needs no federation directive: 2.7 is composed by Apollo's
 * composition (rover, GraphOS) and by The Guild's (Mesh compose, Hive) alike.
 */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.7';

/** What turns the SDL into a Federation 2 subgraph; kept out of schema/*.graphql, which codegen reads. */
const FEDERATION_LINK = `extend schema @link(url: "${FEDERATION_SPEC_URL}", import: [])`;

/**
 * Builds the executable subgraph schema: the same types and resolvers as the standalone schema, plus
 * `Query._service { sdl }` for composition tools. Without `@key` types there is no `_entities` field, so a
 * router can only enter this subgraph through its root fields.
 */
export function createSubgraphSchema(
  typeDefs: readonly string[],
  resolvers: Resolvers<GatewayContext>,
): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse([FEDERATION_LINK, ...typeDefs].join('\n\n')),
    // Codegen's resolver map is stricter than @apollo/subgraph's loose GraphQLResolverMap; the shapes match.
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
}
