// Public surface of the upstream module: pools, the HTTP call, failure classification (the Failure vocabulary itself is in core/).
export { type AnswerContext, classifyHttpStatus } from './classify-http-status.js';
export { classifyTransportError } from './classify-transport-error.js';
export { createUpstreamPool, type UpstreamPool } from './create-upstream-pool.js';
export {
  type HttpAnswer,
  type HttpMethod,
  type HttpResult,
  type JsonRequest,
  NOT_JSON,
  requestJson,
} from './request-json.js';
export { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after.js';
export { createSecretScrubber } from './scrub-secrets.js';
