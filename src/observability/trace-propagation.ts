// W3C trace-context in and out of HTTP headers, whether or not the tracing SDK runs.
import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  context as otelContext,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// Used directly rather than through the global propagator, so an incoming traceparent is continued
// and forwarded upstream even when no SDK is registered.
const propagator = new W3CTraceContextPropagator();

/** The context an incoming request's `traceparent`/`tracestate` headers describe (root when absent). */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/** Adds `traceparent` (and `tracestate`) for the given context to outgoing headers. */
export function injectTraceContext(context: Context, headers: Record<string, string>): void {
  propagator.inject(context, headers, defaultTextMapSetter);
}

/** The trace id of the context's span, or undefined when there is no valid one. */
export function traceIdOf(context: Context): string | undefined {
  const spanContext = trace.getSpanContext(context);
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** The active context, for code that has none passed in. */
export const activeContext = (): Context => otelContext.active();
