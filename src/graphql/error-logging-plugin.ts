// Apollo plugin: every error that is a gateway bug is logged in full on the request's logger (with its request id).
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context.js';
import { clientErrorCode } from './format-error.js';

/**
 * Logs, at error level, each error of a request whose code is not a client-facing GatewayErrorCode —
 * a thrown bug, not bad input — with its stack, its path and the request id, so the masked
 * INTERNAL_SERVER_ERROR a client sees can be found in the log.
 */
export function errorLoggingPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (clientErrorCode(error)) continue;
            contextValue.logger.error(
              { err: error.originalError ?? error, path: error.path },
              'unexpected error while resolving an operation',
            );
          }
        },
      };
    },
  };
}
