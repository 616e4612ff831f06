// Every `extensions.code` the gateway puts in GraphQL `errors[]`: one enum, stable for clients.

export enum GatewayErrorCode {
  /** The operation could not be parsed. */
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  /** The operation does not match the schema. */
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  /** The HTTP request is not a GraphQL request (bad JSON, wrong method, CSRF check). */
  BAD_REQUEST = 'BAD_REQUEST',
  /** An argument's value is not acceptable (e.g. quantity 0, no items); nothing was sent upstream. */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** No or invalid credentials (HTTP 401 with `WWW-Authenticate: Bearer`); nothing ran. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The caller is authenticated but lacks the scope the field needs, named in `extensions.scope` (HTTP 403); nothing was sent. */
  FORBIDDEN = 'FORBIDDEN',
  /** The identity provider's signing keys (JWKS) cannot be fetched, so a token cannot be checked (HTTP 503); retry later. */
  AUTHENTICATION_UNAVAILABLE = 'AUTHENTICATION_UNAVAILABLE',
  /** The request exceeds a configured limit (e.g. too many orders in placeOrders). */
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  /** The client is over its limit of upstream writes (HTTP 429, `Retry-After`, `extensions.retryAfterMs`); nothing was sent. */
  RATE_LIMITED = 'RATE_LIMITED',
  /**
   * A persisted query hash is unknown: with APQ the client resends the full query; with trusted documents
   * (HTTP 400) the id (`documentId` or `sha256Hash`) is not in the manifest and nothing ran.
   */
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  /** Trusted documents are on and the request's `query` is not in the manifest (HTTP 400); nothing ran: send its id. */
  TRUSTED_DOCUMENT_REQUIRED = 'TRUSTED_DOCUMENT_REQUIRED',
  /** Automatic persisted queries are turned off. */
  PERSISTED_QUERY_NOT_SUPPORTED = 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** The operation named by `operationName` is not in the document. */
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  /** The idempotency key was used before with a different request. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** A request with this idempotency key is still running; repeat later for its answer. */
  IDEMPOTENCY_KEY_IN_PROGRESS = 'IDEMPOTENCY_KEY_IN_PROGRESS',
  /** The shared idempotency store (Redis) cannot be reached, so a keyed mutation was not started. */
  IDEMPOTENCY_STORE_UNAVAILABLE = 'IDEMPOTENCY_STORE_UNAVAILABLE',
  /** No delivery has this id (it never existed, or it was delivered or cancelled and then pruned). */
  DELIVERY_NOT_FOUND = 'DELIVERY_NOT_FOUND',
  /** The delivery's state does not allow the change (e.g. replaying a DELIVERED one); `extensions.state` says which it is in. */
  DELIVERY_TRANSITION_REFUSED = 'DELIVERY_TRANSITION_REFUSED',
  /**
   * The durable delivery queue (its SQLite file or Redis) cannot be read or written (HTTP 503): nothing was
   * changed or queued — unless `extensions.outcomeUnknown` is true (Redis did not answer in time and may
   * still apply the change): then repeat the same request to learn what happened.
   */
  DELIVERY_QUEUE_UNAVAILABLE = 'DELIVERY_QUEUE_UNAVAILABLE',
  /** The gateway is draining before it stops (HTTP 503); nothing was started: send the request to another instance. */
  SHUTTING_DOWN = 'SHUTTING_DOWN',
  /** A gateway bug; the details are in the gateway's log, not the response. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

const knownCodes = new Set<string>(Object.values(GatewayErrorCode));

export function isGatewayErrorCode(code: unknown): code is GatewayErrorCode {
  return typeof code === 'string' && knownCodes.has(code);
}
