// Apollo plugin: says when a payload came from the gateway's idempotency store, as the upstreams do.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context.js';

/**
 * When a resolver answered from the idempotency store (`context.replay.idempotentReplay`), the response
 * carries the `Idempotent-Replayed: true` header (the upstream contracts' own convention) and
 * `extensions.idempotentReplay: true`, so a client can tell a replay from a fresh run.
 */
export function idempotentReplayPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (!contextValue.replay.idempotentReplay) return;
          response.http.headers.set('idempotent-replayed', 'true');
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              idempotentReplay: true,
            };
          }
        },
      };
    },
  };
}
