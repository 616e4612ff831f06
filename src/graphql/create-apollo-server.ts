// Builds the Apollo Server: the SDL from schema/, the resolvers, error formatting and the given plugins.
import { readdirSync, readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from '../observability/index.js';
import type { GatewayContext } from './context.js';
import { createFormatError } from './format-error.js';
import { resolvers } from './resolvers.js';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** The SDL is the source of truth: every `schema/*.graphql` file, read once at start-up. */
export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
}

export interface ApolloServerOptions {
  readonly logger: Logger;
  readonly plugins: ApolloServerPlugin<GatewayContext>[];
  /** Whether stack traces appear in error responses. */
  readonly development: boolean;
}

export function createApolloServer(options: ApolloServerOptions): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    // Mutation answers are never cached; the default cache-control plugin would wrap every field resolver.
    plugins: [ApolloServerPluginCacheControlDisabled(), ...options.plugins],
    formatError: createFormatError(options.logger),
    includeStacktraceInErrorResponses: options.development,
    logger: options.logger,
  });
}
