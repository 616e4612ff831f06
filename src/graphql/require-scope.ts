// Refuses a field to a caller without its scope: FORBIDDEN naming the scope, HTTP 403, before anything is sent.
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayScope } from '../auth/index.js';
import type { GatewayContext } from './context.js';
import { GatewayErrorCode } from './gateway-error-code.js';

/**
 * Call first in a resolver. With authentication off every scope is granted.
 * @throws GraphQLError FORBIDDEN with `extensions.scope`; Apollo applies `extensions.http` to the
 *   response (403 and an RFC 6750 `insufficient_scope` challenge) and strips it from the error.
 */
export function requireScope(context: Pick<GatewayContext, 'identity'>, scope: GatewayScope): void {
  const { identity } = context;
  if (identity.scopes.has(scope)) return;
  const challenge = `Bearer error="insufficient_scope", scope="${scope}"`;
  throw new GraphQLError(
    `forbidden: this needs the scope ${scope}, which client "${identity.clientId}" lacks`,
    {
      extensions: {
        code: GatewayErrorCode.FORBIDDEN,
        scope,
        http: { status: 403, headers: new HeaderMap([['www-authenticate', challenge]]) },
      },
    },
  );
}
