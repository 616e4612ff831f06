// Apollo plugin: one span per GraphQL operation, continuing the caller's trace, and its id in extensions.traceId.
import type { ApolloServerPlugin } from '@apollo/server';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Attr, extractTraceContext, traceIdOf, tracer } from '../observability/index.js';
import type { GatewayContext } from './context.js';

/**
 * Starts the operation span from the request's `traceparent` (a new trace when there is none), hands
 * its context to the resolvers through `contextValue.trace`, names it after the operation once known,
 * and ends it with the response, marked as an error when the response has errors.
 */
export function tracingPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const headers = Object.fromEntries(request.http?.headers ?? []);
      const parent = extractTraceContext(headers);
      const span = tracer.startSpan(
        'graphql operation',
        { kind: SpanKind.SERVER, attributes: { [Attr.requestId]: contextValue.requestId } },
        parent,
      );
      contextValue.trace.context = trace.setSpan(parent, span);
      return {
        async didResolveOperation({ operation, operationName }) {
          const type = operation?.operation ?? 'unknown';
          span.updateName(`${type} ${operationName ?? 'anonymous'}`);
          span.setAttributes({
            [Attr.graphqlOperationType]: type,
            ...(operationName ? { [Attr.graphqlOperationName]: operationName } : {}),
          });
        },
        async willSendResponse({ response, errors }) {
          const traceId = traceIdOf(contextValue.trace.context);
          if (traceId && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, traceId };
          }
          if (errors?.length) span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]?.message });
          span.end();
        },
      };
    },
  };
}
