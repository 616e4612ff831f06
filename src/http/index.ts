// Public surface of the http module: the non-GraphQL routes, the operator listener and per-request hooks.
export { type BodyLimitErrorOptions, registerBodyLimitError } from './body-limit-error.js';
export { GRAPHIQL_PATH, type GraphiqlRoutesOptions, registerGraphiqlRoutes } from './graphiql-routes.js';
export {
  checkReadiness,
  type HealthRoutesOptions,
  type Readiness,
  type ReadinessReport,
  registerHealthRoutes,
  type ServingPhase,
} from './health-routes.js';
export { httpServerOptions } from './http-server-options.js';
export {
  type InflightRequest,
  type InflightRequests,
  type InflightRequestsOptions,
  trackInflightRequests,
} from './inflight-requests.js';
export { listenerUrl } from './listener-url.js';
export { registerMetricsRoute } from './metrics-route.js';
export { createOperatorServer, type OperatorServer, type OperatorServerOptions } from './operator-server.js';
export { registerCors } from './register-cors.js';
export {
  quietRequestIdOptions,
  registerRequestCorrelation,
  requestIdOptions,
} from './request-correlation.js';
