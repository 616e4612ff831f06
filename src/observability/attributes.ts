// Every span attribute name the gateway sets: OpenTelemetry semantic conventions, plus `fanout.*` of our own.
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';

export const Attr = {
  /** Semantic conventions (stable). */
  httpRequestMethod: ATTR_HTTP_REQUEST_METHOD,
  httpResponseStatusCode: ATTR_HTTP_RESPONSE_STATUS_CODE,
  urlFull: ATTR_URL_FULL,
  errorType: ATTR_ERROR_TYPE,
  /** Semantic conventions for GraphQL (still incubating upstream, so spelled out here). */
  graphqlOperationName: 'graphql.operation.name',
  graphqlOperationType: 'graphql.operation.type',
  /** The gateway's own. */
  target: 'fanout.target',
  orderId: 'fanout.order_id',
  orderCount: 'fanout.order_count',
  status: 'fanout.status',
  attempt: 'fanout.attempt',
  attempts: 'fanout.attempts',
  outcomeKind: 'fanout.outcome_kind',
  circuitState: 'fanout.circuit_state',
  /** The key sent upstream, which is itself a SHA-256 of the client's key: never the raw key. */
  idempotencyKeyHash: 'fanout.idempotency_key_hash',
  requestId: 'fanout.request_id',
} as const;
