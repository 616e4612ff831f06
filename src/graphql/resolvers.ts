// The resolver map handed to Apollo Server.
import type { Resolvers } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import { mutationResolvers } from './mutation-resolvers.js';
import { queryResolvers } from './query-resolvers.js';

export const resolvers: Resolvers<GatewayContext> = {
  Mutation: mutationResolvers,
  Query: queryResolvers,
};
