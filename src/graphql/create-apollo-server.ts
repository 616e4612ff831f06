// Builds the Apollo Server: the SDL from schema/ (as a Federation 2 subgraph when asked), the resolvers, error formatting and plugins.
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/index.js';
import type { GatewayContext } from './context.js';
import { createGatewaySchema } from './create-gateway-schema.js';
import { errorLoggingPlugin } from './error-logging-plugin.js';
import { createFormatError } from './format-error.js';
import { hideSuggestionsPlugin } from './hide-suggestions-plugin.js';
import { idempotentReplayPlugin } from './idempotent-replay-plugin.js';
import { knownOperationTypeRule } from './known-operation-type-rule.js';
import { type OperationLimits, operationLimitRules } from './operation-limits.js';
import { operationLimitsPlugin } from './operation-limits-plugin.js';
import { subscriptionsOverWebSocketRule } from './subscriptions-over-websocket-rule.js';

export interface ApolloServerOptions {
  readonly logger: Logger;
  readonly plugins: ApolloServerPlugin<GatewayContext>[];
  /** The configured environment; outside `production`, introspection and error stack traces are on. */
  readonly env: Config['env'];
  /**
   * Whether Apollo's automatic persisted queries (an in-memory cache any client can fill) are on; off when
   * trusted documents are, so the manifest is the only source of operations. @default true
   */
  readonly automaticPersistedQueries?: boolean;
  /** How large an operation may be (tokens, depth, aliases, directives, cost); over a limit is LIMIT_EXCEEDED. */
  readonly limits: OperationLimits;
  /**
   * Serve the schema as an Apollo Federation 2 subgraph: `Query._service { sdl }` publishes the SDL to
   * composition tools, in production too (where introspection is off), so it is opt-in. @default false
   */
  readonly subgraph?: boolean;
  /**
   * The executable schema, when the caller built it to share it (graphql-ws serves the same one).
   * @default createGatewaySchema(subgraph)
   */
  readonly schema?: GraphQLSchema;
}

/**
 * Builds the server with every environment-dependent setting taken from our config, never from
 * `process.env.NODE_ENV`, and without Apollo's own signal handlers: main.ts owns SIGTERM and SIGINT.
 */
export function createApolloServer(options: ApolloServerOptions): ApolloServer<GatewayContext> {
  const development = options.env !== 'production';
  return new ApolloServer<GatewayContext>({
    nodeEnv: options.env,
    introspection: development,
    includeStacktraceInErrorResponses: development,
    stopOnTerminationSignals: false,
    ...(options.automaticPersistedQueries === false ? { persistedQueries: false } : {}),
    // Limits: the parser stops at maxTokens, so a huge document costs little before it is refused.
    parseOptions: { maxTokens: options.limits.maxTokens },
    validationRules: [
      knownOperationTypeRule,
      subscriptionsOverWebSocketRule,
      ...operationLimitRules(options.limits),
    ],
    // In production "Did you mean …?" would help map the schema by guessing; graphql-js then skips computing it.
    validationOptions: { hideSuggestions: !development },
    // One operation per HTTP request: a JSON array is a 400, so limits and client rate limits count operations.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Same types and resolvers either way; subgraph mode only adds the federation @link and `_service`.
    schema: options.schema ?? createGatewaySchema(options.subgraph),
    // Mutation answers are never cached; the default cache-control plugin would wrap every field resolver.
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      errorLoggingPlugin(),
      idempotentReplayPlugin(),
      operationLimitsPlugin({ maxTokens: options.limits.maxTokens }),
      ...(development ? [] : [hideSuggestionsPlugin()]),
      ...options.plugins,
    ],
    formatError: createFormatError(),
    logger: options.logger,
  });
}
