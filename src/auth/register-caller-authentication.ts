// Fastify hook: every request to the GraphQL route proves who it is before Apollo runs; 401 (or 503) otherwise.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticationFailure } from './authentication-result.js';
import type { CallerIdentity } from './caller-identity.js';
import { type CallerAuthenticator, CLIENT_NAME_HEADER } from './create-caller-authenticator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set by the authentication hook on the GraphQL route, before the handler. */
    identity?: CallerIdentity;
  }
}

export interface CallerAuthenticationOptions {
  /** Route patterns (the GraphQL endpoint) whose requests must authenticate. */
  readonly routes: readonly string[];
  /**
   * Whether Apollo serves its landing page (Sandbox) to a GET that prefers HTML. Such a request
   * passes without credentials: it gets HTML and runs no operation — and if it did, the context would
   * find no identity and refuse it.
   */
  readonly landingPage: boolean;
  /** The `extensions.code` of the refusals (the gateway's UNAUTHENTICATED and AUTHENTICATION_UNAVAILABLE). */
  readonly codes: { readonly unauthenticated: string; readonly unavailable: string };
}

/** Realm of the gateway's WWW-Authenticate challenges. */
const REALM = 'fanout-gateway';

/**
 * Registers the onRequest hook (before the body is read, so unauthenticated callers cost little).
 * Success sets `request.identity` and binds `clientId` (and, with authentication on, the self-declared
 * `clientName`) to the request's logger.
 */
export function registerCallerAuthentication(
  app: FastifyInstance,
  authenticator: CallerAuthenticator,
  options: CallerAuthenticationOptions,
): void {
  app.decorateRequest('identity', undefined);
  app.addHook('onRequest', async (request, reply) => {
    if (!options.routes.includes(request.routeOptions.url ?? '')) return;
    const result = await authenticator.authenticate(request.headers);
    if (!result.ok) {
      // A CORS preflight never carries credentials, and a page request runs nothing: both go on without
      // an identity, and should either reach execution, the context refuses it.
      if (request.method === 'OPTIONS' || (options.landingPage && isLandingPageRequest(request))) return;
      request.log.info({ authFailure: result.failure.reason }, 'authentication failed');
      return refuse(reply, result.failure, options.codes);
    }
    request.identity = result.identity;
    request.log = request.log.child(logBindings(request, result.identity));
  });
}

/** Private: the same test Apollo makes (a GET preferring text/html), kept loose: the context is the backstop. */
function isLandingPageRequest(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return request.method === 'GET' && typeof accept === 'string' && /\btext\/html\b/i.test(accept);
}

/** Private: with authentication on, the client-name header is only a display name, logged as such. */
function logBindings(request: FastifyRequest, identity: CallerIdentity): Record<string, string> {
  const name = request.headers[CLIENT_NAME_HEADER];
  const clientName = Array.isArray(name) ? name[0] : name;
  if (identity.method === 'none' || !clientName) return { clientId: identity.clientId };
  return { clientId: identity.clientId, clientName };
}

/** Private: a GraphQL-shaped refusal, so clients read it like any other error. */
function refuse(
  reply: FastifyReply,
  failure: AuthenticationFailure,
  codes: CallerAuthenticationOptions['codes'],
): FastifyReply {
  const code = failure.kind === 'invalid' ? codes.unauthenticated : codes.unavailable;
  if (failure.kind === 'invalid') reply.header('www-authenticate', bearerChallenge(failure));
  return reply
    .code(failure.kind === 'invalid' ? 401 : 503)
    .send({ errors: [{ message: failure.message, extensions: { code } }] });
}

/** The RFC 6750 challenge: just the realm when nothing was sent, else the error and its description. */
export function bearerChallenge(failure: Pick<AuthenticationFailure, 'bearerError' | 'message'>): string {
  if (!failure.bearerError) return `Bearer realm="${REALM}"`;
  return `Bearer realm="${REALM}", error="${failure.bearerError}", error_description="${failure.message}"`;
}
