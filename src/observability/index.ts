// Public surface of the observability module: logging, metrics, tracing.
export { Attr } from './attributes.js';
export { type BuildInfo, buildInfo } from './build-info.js';
export { createLogger, type Logger, type LoggerOptions, type LogSink } from './create-logger.js';
export {
  createMetrics,
  type GatewayMetrics,
  type OutcomeLabel,
  type StatusClass,
  type TargetGauges,
} from './create-metrics.js';
export {
  ANONYMOUS_OPERATION_LABEL,
  type GraphQLRequestMetrics,
  type OperationTypeLabel,
  UNKNOWN_OPERATION_LABEL,
} from './graphql-request-metrics.js';
export { countRefusedRequests, type RefusedRequestsOptions } from './refused-request-metrics.js';
export { startTracing, type Tracing, type TracingSettings, tracingEnabled } from './start-tracing.js';
export { activeContext, extractTraceContext, injectTraceContext, traceIdOf } from './trace-propagation.js';
export { tracer } from './tracer.js';
