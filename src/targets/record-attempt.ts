// Telemetry for one HTTP attempt: its span, its metrics and its log line, from one place.
import { type Context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Failure } from '../core/index.js';
import {
  Attr,
  type GatewayMetrics,
  type OutcomeLabel,
  type StatusClass,
  tracer,
} from '../observability/index.js';
import type { HttpMethod } from '../upstream/index.js';
import type { SendOptions } from './send-options.js';

export interface AttemptRecord {
  /** The attempt's span context: its traceparent goes into the request headers. */
  readonly context: Context;
  /**
   * Ends the span and records the attempt's metrics and log line.
   * @param status the HTTP status, when an answer came
   * @param failure how the attempt failed, when it did
   */
  end(status: number | undefined, failure: Failure | undefined): void;
}

/** Starts recording attempt `attempt` of a `method` call to `targetId` at `url`. */
export function startAttempt(
  targetId: string,
  url: string,
  attempt: number,
  parent: Context,
  metrics: GatewayMetrics,
  options: Pick<SendOptions, 'logger'>,
  method: HttpMethod = 'POST',
): AttemptRecord {
  const startedAt = performance.now();
  const span: Span = tracer.startSpan(
    method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [Attr.httpRequestMethod]: method,
        [Attr.urlFull]: url,
        [Attr.target]: targetId,
        [Attr.attempt]: attempt,
      },
    },
    parent,
  );
  return {
    context: trace.setSpan(parent, span),
    end(status, failure) {
      const seconds = (performance.now() - startedAt) / 1000;
      const outcome: OutcomeLabel = failure ? failure.kind : 'success';
      const statusClass: StatusClass =
        status === undefined ? 'error' : (`${Math.floor(status / 100)}xx` as StatusClass);
      if (status !== undefined) span.setAttribute(Attr.httpResponseStatusCode, status);
      span.setAttribute(Attr.outcomeKind, outcome);
      if (failure) {
        span.setAttribute(Attr.errorType, failure.kind);
        span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      }
      span.end();
      metrics.upstreamAttempt(targetId, statusClass, outcome, seconds);
      if (attempt > 1) metrics.retry(targetId);
      const line = {
        target: targetId,
        ...(method !== 'POST' && { method }),
        attempt,
        status,
        outcome,
        durationMs: Math.round(seconds * 10_000) / 10,
        ...upstreamSaid(failure),
      };
      // What the upstream said is for operators, and only the log has it: raise it above info.
      if (failure?.upstreamMessage === undefined) options.logger?.info(line, 'upstream attempt');
      else options.logger?.warn(line, 'upstream attempt');
    },
  };
}

/**
 * Logs, at warn level, what the upstream said about one order of a batch: the batch call's attempt line
 * has only the batch's status. Does nothing when the item's answer had no free text.
 */
export function logBatchItemMessage(
  targetId: string,
  orderId: string,
  status: number,
  failure: Failure,
  options: SendOptions,
): void {
  if (failure.upstreamMessage === undefined) return;
  options.logger?.warn(
    { target: targetId, orderId, status, outcome: failure.kind, ...upstreamSaid(failure) },
    'upstream batch item',
  );
}

/** Private: the error body's code and free text, when the failure carries them. */
function upstreamSaid(failure: Failure | undefined): { code?: string; upstreamMessage?: string } {
  if (!failure) return {};
  const code = failure.kind === 'rejected' ? failure.code : undefined;
  return {
    ...(code !== undefined && { code }),
    ...(failure.upstreamMessage !== undefined && { upstreamMessage: failure.upstreamMessage }),
  };
}
