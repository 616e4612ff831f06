// Public surface of the graphql module.
export type { GatewayContext } from './context.js';
export { createApolloServer } from './create-apollo-server.js';
export { createGatewaySchema } from './create-gateway-schema.js';
export {
  type ExplorerLandingPageOptions,
  explorerLandingPagePlugin,
} from './explorer-landing-page-plugin.js';
export { GatewayErrorCode } from './gateway-error-code.js';
export {
  type GraphQLWsServer,
  type GraphQLWsServerOptions,
  type SocketContextSource,
  startGraphQLWsServer,
} from './graphql-ws-server.js';
export { loadTypeDefs } from './load-type-defs.js';
export { operationMetricsPlugin } from './operation-metrics-plugin.js';
export { tracingPlugin } from './tracing-plugin.js';
export { registerTrustedDocuments } from './trusted-documents.js';
export { unauthenticatedError } from './unauthenticated-error.js';
