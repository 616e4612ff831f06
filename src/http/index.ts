// Public surface of the http module: the non-GraphQL routes and per-request hooks.
export { type Readiness, registerHealthRoutes } from './health-routes.js';
export { registerMetricsRoute } from './metrics-route.js';
export { registerRequestCorrelation, requestIdOptions } from './request-correlation.js';
