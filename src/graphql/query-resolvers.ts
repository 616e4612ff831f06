// Query resolvers: what the gateway knows about its targets right now.
import { GatewayScope } from '../auth/index.js';
import type { QueryResolvers, Target } from './__generated__/resolvers-types.js';
import type { GatewayContext } from './context.js';
import type { GatewayTargets } from './gateway-targets.js';
import { requireScope } from './require-scope.js';

const targetEnum: Record<keyof GatewayTargets, Target> = { inventory: 'INVENTORY', crm: 'CRM' };

export const queryResolvers: QueryResolvers<GatewayContext> = {
  targets(_parent, _args, context) {
    requireScope(context, GatewayScope.TARGETS_READ);
    const { targets } = context;
    return (Object.keys(targetEnum) as (keyof GatewayTargets)[]).map((key) => {
      const client = targets[key];
      const { inflight, recentFailureRate, circuit } = client.status();
      return { target: targetEnum[key], url: client.url, circuit, inflight, recentFailureRate };
    });
  },
};
