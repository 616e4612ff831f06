// The backstop when a GraphQL context would be built for a request the authentication hook did not let through.
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { GatewayErrorCode } from './gateway-error-code.js';

/**
 * UNAUTHENTICATED with HTTP 401 and a Bearer challenge, for the context function to throw when the
 * request carries no identity (e.g. a GET that asked for HTML yet reached execution): Apollo answers
 * with it and runs nothing.
 */
export function unauthenticatedError(): GraphQLError {
  return new GraphQLError('missing or invalid credentials', {
    extensions: {
      code: GatewayErrorCode.UNAUTHENTICATED,
      http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer realm="fanout-gateway"']]) },
    },
  });
}
