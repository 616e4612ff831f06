// The span of one delivery attempt: a root of its own, linked to the trace of the mutation that accepted it.
import { type Context, type Link, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { Attr, extractTraceContext, tracer } from '../observability/index.js';
import type { Delivery } from './delivery-queue.js';

/** The delivery's id on its attempt spans (the gateway's own attribute, beside Attr's). */
export const DELIVERY_ID_ATTRIBUTE = 'fanout.delivery_id';

export interface DeliverySpan {
  /** The span's context: the parent of the delivery's single call, and a link of a batch call. */
  readonly context: Context;
  /** Ends the span with what the attempt ended as (`success` or a failure kind) and the resulting state. */
  end(outcome: string, state: string | undefined, failure?: string): void;
}

/**
 * Starts the span of one attempt. The mutation answered long ago, so the attempt starts a trace of its
 * own and links to the mutation's span through the stored traceparent (the messaging pattern), rather than
 * becoming a late child of a trace that has ended.
 */
export function startDeliverySpan(delivery: Delivery): DeliverySpan {
  const links: Link[] = [];
  if (delivery.traceparent) {
    const accepted = trace.getSpanContext(extractTraceContext({ traceparent: delivery.traceparent }));
    if (accepted && trace.isSpanContextValid(accepted)) links.push({ context: accepted });
  }
  const span: Span = tracer.startSpan(
    `deliver ${delivery.target}`,
    {
      attributes: {
        [Attr.target]: delivery.target,
        [Attr.orderId]: delivery.orderId,
        [Attr.attempt]: delivery.attempts + 1,
        [DELIVERY_ID_ATTRIBUTE]: delivery.id,
      },
      links,
    },
    ROOT_CONTEXT,
  );
  return {
    context: trace.setSpan(ROOT_CONTEXT, span),
    end(outcome, state, failure) {
      span.setAttribute(Attr.outcomeKind, outcome);
      if (state) span.setAttribute('fanout.delivery_state', state);
      if (failure) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
      span.end();
    },
  };
}
