// Query resolvers: what the gateway knows about its targets right now.
import { GatewayScope } from '../auth/index.js';
import type { QueryResolvers, Target } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import { requireScope } from './require-scope.js';

export const queryResolvers: QueryResolvers<GatewayContext> = {
  targets(_parent, _args, context) {
    requireScope(context, GatewayScope.TARGETS_READ);
    return context.targets.targets.map(({ module, client }) => {
      const { inflight, recentFailureRate, circuit } = client.status();
      // Each module's name is a Target enum value (checked at compile time in to-payload.ts).
      const target = module.graphql.name as Target;
      return { target, url: client.url, circuit, inflight, recentFailureRate };
    });
  },
};
