// GraphQL request metrics: counts and durations per operation, client and outcome, every caller-given label bounded.
import { Counter, Histogram, type Registry } from 'prom-client';
import { boundedLabelPairs } from './bounded-label-pairs.js';
import { boundedLabelValues } from './bounded-label-values.js';

/** An operation's type as the document says; `unknown` when no operation could be identified. */
export type OperationTypeLabel = 'query' | 'mutation' | 'subscription' | 'unknown';

/** `operation_name` of an operation without a name (not a valid GraphQL name, so no operation can take it). */
export const ANONYMOUS_OPERATION_LABEL = '(anonymous)';
/** `operation_name` when no operation was identified: the document did not parse, was missing, or lacks `operationName`. */
export const UNKNOWN_OPERATION_LABEL = '(unknown)';

export interface GraphQLRequestMetrics {
  /**
   * One request Apollo ran through its pipeline, from its start to its response.
   * @param operationName the document's name for the operation; null when it is anonymous, undefined when
   *   no operation was identified (both become fixed labels)
   * @param client the caller's client id; past the caps it is counted as `other`
   * @param outcome `success`, or the first error's code: a closed set the caller guarantees
   */
  request(
    operationName: string | null | undefined,
    operationType: OperationTypeLabel,
    client: string,
    outcome: string,
    seconds: number,
  ): void;
  /** One request to the GraphQL endpoint answered without running an operation (auth, draining, a bad HTTP request). */
  refused(statusCode: number): void;
}

export interface GraphQLRequestMetricsOptions {
  readonly registers: Registry[];
  /** Histogram buckets, in seconds. */
  readonly buckets: number[];
  /** Bounds the client label; shared with the other per-client metrics, so a client has one label everywhere. */
  readonly clientLabel: (client: string) => string;
  /** Distinct operation names labelled as themselves; later ones are `other`. @default 100 */
  readonly maxOperationNames?: number;
  /** Distinct (operation, client) pairs; a later pair's client is `other`. @default 500 */
  readonly maxOperationClientPairs?: number;
}

/** Registers the instruments and returns the recorder the Apollo plugin and the refusal hook call. */
export function createGraphQLRequestMetrics(options: GraphQLRequestMetricsOptions): GraphQLRequestMetrics {
  const { registers, buckets, clientLabel } = options;
  const requests = new Counter({
    name: 'fanout_graphql_requests_total',
    help: 'GraphQL requests by operation, client and outcome (success or the first error code); names past the caps are "other".',
    labelNames: ['operation_name', 'operation_type', 'client', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'fanout_graphql_request_duration_seconds',
    help: 'Duration of GraphQL requests from the start of Apollo’s pipeline to the response, by operation and client.',
    labelNames: ['operation_name', 'operation_type', 'client'] as const,
    buckets,
    registers,
  });
  const refused = new Counter({
    name: 'fanout_graphql_refused_requests_total',
    help: 'Requests to the GraphQL endpoint answered before any operation ran (authentication, draining, trusted documents, body limit, malformed HTTP), by HTTP status.',
    labelNames: ['status_code'] as const,
    registers,
  });
  const operationLabel = boundedLabelValues(options.maxOperationNames ?? 100);
  const pairLabel = boundedLabelPairs(options.maxOperationClientPairs ?? 500);
  return {
    request(operationName, operationType, client, outcome, seconds) {
      const operation_name =
        operationName === undefined
          ? UNKNOWN_OPERATION_LABEL
          : operationName === null
            ? ANONYMOUS_OPERATION_LABEL
            : operationLabel(operationName);
      const pairClient = pairLabel(operation_name, clientLabel(client));
      requests.inc({ operation_name, operation_type: operationType, client: pairClient, outcome });
      duration.observe({ operation_name, operation_type: operationType, client: pairClient }, seconds);
    },
    refused: (statusCode) => refused.inc({ status_code: statusCodeLabel(statusCode) }),
  };
}

/** Private: the status as a label, from a closed set even if a caller passed nonsense. */
function statusCodeLabel(statusCode: number): string {
  return Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 599
    ? String(statusCode)
    : 'other';
}
