// graphql-ws on the GraphQL endpoint's own port and path: upgrades, socket authentication, limits and shutdown.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type AuthenticationResult, type CallerIdentity, GatewayScope } from '../auth/index.js';
import { documentHash, type TrustedDocuments } from '../config/index.js';
import type { Logger } from '../observability/index.js';
import type { GatewayContext } from './context.js';
import { createFormatError } from './format-error.js';
import { GatewayErrorCode } from './gateway-error-code.js';
import type { OperationLimits } from './operation-limits.js';
import { socketCredentialHeaders } from './socket-credential-headers.js';
import { createSocketOperationPreparer } from './socket-operation.js';
import { isAllowedWebSocketOrigin } from './websocket-origin.js';

/** What the gateway's context function needs to build a GatewayContext for one socket operation. */
export interface SocketContextSource {
  readonly identity: CallerIdentity;
  readonly headers: IncomingHttpHeaders;
  readonly log: Logger;
  readonly id: string;
}

export interface GraphQLWsServerOptions {
  /** The public listener's HTTP server (Fastify's `app.server`). */
  readonly server: Server;
  /** The GraphQL endpoint's path; upgrades to any other path are answered 404. */
  readonly path: string;
  /** The executable schema Apollo serves. */
  readonly schema: GraphQLSchema;
  /** The HTTP path's authenticator. */
  readonly authenticate: (headers: IncomingHttpHeaders) => Promise<AuthenticationResult>;
  readonly context: (source: SocketContextSource) => Promise<GatewayContext>;
  readonly limits: OperationLimits;
  /** Browser origins allowed besides the gateway's own (FANOUT_CORS_ORIGINS). */
  readonly corsOrigins: readonly string[];
  /** True once the gateway drains: new upgrades are answered 503. */
  readonly draining: () => boolean;
  readonly logger: Logger;
  /**
   * In production, as on HTTP, validation errors carry no "Did you mean …?" suggestions, and internal
   * error messages stay out of close reasons.
   */
  readonly production: boolean;
  /** With trusted documents on, only a manifest document's exact text may be subscribed. @default any document */
  readonly trustedDocuments?: TrustedDocuments | undefined;
  /**
   * Open sockets (authenticated or still in `connection_init`) the server holds at once; one more upgrade
   * is answered 503, so sockets cannot grow memory and per-update fan-out without bound. @default 10000
   */
  readonly maxConnections?: number;
  /** Subscriptions one socket may hold at once; one more is refused with LIMIT_EXCEEDED. @default 100 */
  readonly maxSubscriptionsPerSocket?: number;
  /** Largest WebSocket message a client may send, in bytes; a larger one closes the socket (1009). @default 65536 */
  readonly maxMessageBytes?: number;
  /** Milliseconds a client has to send `connection_init` after the upgrade (then 4408). @default 3000 */
  readonly connectionInitTimeoutMs?: number;
  /** Milliseconds close() waits for clients to answer the close handshake before cutting them. @default 3000 */
  readonly closeTimeoutMs?: number;
}

export interface GraphQLWsServer {
  /** Open sockets. */
  connections(): number;
  /** Closes every socket with 1001 (going away) and refuses new upgrades; later calls share the first. */
  close(): Promise<void>;
}

type SocketExtra = { identity: CallerIdentity };

/**
 * Listens for upgrades on `server`. A socket authenticates once, in `connection_init`: its
 * `connectionParams` (`authorization`, `x-api-key`) or else the upgrade request's headers, through the
 * same authenticator as HTTP. Bad credentials close it with 4401, a caller without deliveries:read with
 * 4403, an identity provider that cannot be reached with 1013 (try again later).
 */
export function startGraphQLWsServer(options: GraphQLWsServerOptions): GraphQLWsServer {
  const maxSubscriptions = options.maxSubscriptionsPerSocket ?? 100;
  const maxConnections = options.maxConnections ?? 10_000;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 65_536 });
  const operations = createSocketOperationPreparer(options.schema, options.limits, {
    hideSuggestions: options.production,
  });
  const formatError = createFormatError();
  let closing: Promise<void> | undefined;

  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => {
      const { extensions, ...formatted } = formatError(error.toJSON(), error);
      if (extensions?.code === GatewayErrorCode.INTERNAL_SERVER_ERROR)
        options.logger.error({ err: error }, 'a subscription failed unexpectedly');
      // Apollo applies and strips `extensions.http` on HTTP; a socket has no status to set.
      const { http: _http, ...rest } = extensions ?? {};
      return { ...formatted, extensions: rest };
    });

  useServer<Record<string, unknown>, SocketExtra>(
    {
      schema: options.schema,
      isProd: options.production,
      connectionInitWaitTimeout: options.connectionInitTimeoutMs ?? 3000,
      async onConnect(ctx) {
        const headers = socketCredentialHeaders(ctx.connectionParams, ctx.extra.request.headers);
        const result = await options.authenticate(headers);
        if (!result.ok) {
          options.logger.info({ authFailure: result.failure.reason }, 'socket authentication failed');
          if (result.failure.kind === 'invalid')
            ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized: missing or invalid credentials');
          else ctx.extra.socket.close(1013, 'Try again later: credentials cannot be checked now');
          return false;
        }
        if (!result.identity.scopes.has(GatewayScope.DELIVERIES_READ)) {
          ctx.extra.socket.close(
            CloseCode.Forbidden,
            `Forbidden: needs the scope ${GatewayScope.DELIVERIES_READ}`,
          );
          return false;
        }
        ctx.extra.identity = result.identity;
        return true;
      },
      async onSubscribe(ctx, _id, payload) {
        const identity = ctx.extra.identity;
        if (!identity)
          return [codedError('missing or invalid credentials', GatewayErrorCode.UNAUTHENTICATED)];
        // The new subscription is already counted in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > maxSubscriptions)
          return [
            codedError(
              `a socket may hold ${maxSubscriptions} subscriptions at once; complete one first`,
              GatewayErrorCode.LIMIT_EXCEEDED,
            ),
          ];
        if (options.trustedDocuments && !options.trustedDocuments.has(documentHash(payload.query)))
          return [
            codedError(
              'This gateway runs only trusted documents: subscribe with the exact text of a manifest document',
              GatewayErrorCode.TRUSTED_DOCUMENT_REQUIRED,
            ),
          ];
        const prepared = operations.prepare(payload.query, payload.operationName);
        if (!prepared.ok) return prepared.errors;
        const id = randomUUID();
        const log = options.logger.child({
          requestId: id,
          clientId: identity.clientId,
          transport: 'graphql-ws',
        });
        const contextValue = await options.context({ identity, headers: ctx.extra.request.headers, log, id });
        return {
          schema: options.schema,
          document: prepared.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
    },
    sockets,
    // graphql-ws pings every 12 s and cuts a socket whose pong does not come.
  );

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (pathOf(request.url) !== options.path) return refuseUpgrade(socket, 404, 'Not Found');
    if (closing || options.draining()) return refuseUpgrade(socket, 503, 'Service Unavailable');
    if (sockets.clients.size >= maxConnections) {
      options.logger.warn({ maxConnections }, 'WebSocket upgrade refused: the connection limit is reached');
      return refuseUpgrade(socket, 503, 'Service Unavailable');
    }
    if (!isAllowedWebSocketOrigin(request.headers, options.corsOrigins))
      return refuseUpgrade(socket, 403, 'Forbidden');
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  };
  options.server.on('upgrade', onUpgrade);

  return {
    connections: () => sockets.clients.size,
    close() {
      closing ??= closeSockets(sockets, options.closeTimeoutMs ?? 3000).finally(() =>
        options.server.off('upgrade', onUpgrade),
      );
      return closing;
    },
  };
}

/** Private: a 1001 to every client; those that do not answer the handshake in time are cut. */
async function closeSockets(sockets: WebSocketServer, timeoutMs: number): Promise<void> {
  for (const socket of sockets.clients) socket.close(1001, 'Going away: the gateway is shutting down');
  const closed = new Promise<void>((resolve) => sockets.close(() => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  if ((await Promise.race([closed, timedOut])) === 'timeout')
    for (const socket of sockets.clients) socket.terminate();
  clearTimeout(timer);
  await closed;
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  // A client that resets the connection now must not crash the process.
  socket.on('error', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function pathOf(url: string | undefined): string {
  const end = url?.search(/[?#]/) ?? -1;
  return end === -1 ? (url ?? '') : (url ?? '').slice(0, end);
}

function codedError(message: string, code: GatewayErrorCode): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
