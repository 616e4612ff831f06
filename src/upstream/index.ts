// Public surface of the upstream module: pools, the HTTP call, failure classification (the Failure vocabulary itself is in core/).
export { type AnswerContext, classifyHttpStatus } from './classify-http-status.js';
export { classifyTransportError } from './classify-transport-error.js';
export { createUpstreamPool, type UpstreamPool } from './create-upstream-pool.js';
export { type HttpAnswer, type JsonPost, NOT_JSON, type PostResult, postJson } from './post-json.js';
export { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after.js';
export { createSecretScrubber } from './scrub-secrets.js';
