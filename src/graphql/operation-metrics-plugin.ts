// Apollo plugin: counts and times every GraphQL request by operation, client and outcome, on bounded labels.
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { type GraphQLError, getOperationAST, type OperationDefinitionNode } from 'graphql';
import type { GatewayMetrics } from '../observability/index.js';
import type { GatewayContext } from './context.js';
import { clientErrorCode } from './format-error.js';
import { GatewayErrorCode } from './gateway-error-code.js';

export interface OperationMetricsPluginOptions {
  /** Where requests are recorded: the gateway's metrics, which bound every caller-given label. */
  readonly metrics: GatewayMetrics;
}

/** The outcome of a request without errors; any other outcome is a GatewayErrorCode. */
const SUCCESS = 'success';

/**
 * Records each request Apollo runs — `fanout_graphql_requests_total` and
 * `fanout_graphql_request_duration_seconds` — when its response is sent, labelled with the operation's
 * name and type (also for a document that failed validation), the context's client id, and the
 * outcome: `success` or the code clients see on the first error (after every plugin has relabelled
 * it). A request Apollo refuses before its pipeline (a malformed HTTP request, a failed context) counts
 * in `fanout_graphql_refused_requests_total`. Per request: one start time, one small listener object;
 * no label is built from input (the metrics pass bounded values through or replace them).
 */
export function operationMetricsPlugin({
  metrics,
}: OperationMetricsPluginOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse(requestContext) {
          const seconds = (performance.now() - startedAt) / 1000;
          const operation = operationOf(requestContext);
          metrics.graphql.request(
            operation ? (operation.name?.value ?? null) : undefined,
            operation ? operation.operation : 'unknown',
            requestContext.contextValue.client,
            outcomeOf(requestContext.errors),
            seconds,
          );
        },
      };
    },
    async invalidRequestWasReceived({ error }) {
      metrics.graphql.refused(httpStatusOf(error) ?? 400);
    },
    async contextCreationDidFail({ error }) {
      metrics.graphql.refused(httpStatusOf(error) ?? 500);
    },
  };
}

/**
 * Private: the operation Apollo resolved, or — when validation failed before it resolved one — the one
 * the document and `operationName` select, so a broken operation is still counted under its name.
 */
function operationOf(
  requestContext: GraphQLRequestContextWillSendResponse<GatewayContext>,
): OperationDefinitionNode | undefined {
  if (requestContext.operation) return requestContext.operation;
  const { document, request } = requestContext;
  return (document && getOperationAST(document, request.operationName)) ?? undefined;
}

/** Private: what formatError will show for the first error, so the label matches the response. */
function outcomeOf(errors: readonly GraphQLError[] | undefined): string {
  const first = errors?.[0];
  if (!first) return SUCCESS;
  return clientErrorCode(first) ?? GatewayErrorCode.INTERNAL_SERVER_ERROR;
}

function httpStatusOf(error: Error): number | undefined {
  const status = (error as { extensions?: { http?: { status?: unknown } } }).extensions?.http?.status;
  return typeof status === 'number' ? status : undefined;
}
