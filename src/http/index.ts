// Public surface of the http module: the non-GraphQL routes and per-request hooks.
export { type Readiness, registerHealthRoutes, type ServingPhase } from './health-routes.js';
export {
  type InflightRequest,
  type InflightRequests,
  type InflightRequestsOptions,
  trackInflightRequests,
} from './inflight-requests.js';
export { registerMetricsRoute } from './metrics-route.js';
export { registerRequestCorrelation, requestIdOptions } from './request-correlation.js';
