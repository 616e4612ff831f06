// Everything one target's calls share, and the one exchange every call goes through: policies, then HTTP.
import { type Context, type Link, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { type Failure, failed, type Outcome, remainingMs, succeeded } from '../core/index.js';
import { Attr, type GatewayMetrics, injectTraceContext, tracer } from '../observability/index.js';
import type { TargetPolicy } from '../resilience/index.js';
import {
  type AnswerContext,
  classifyHttpStatus,
  type HttpAnswer,
  type HttpMethod,
  type HttpResult,
  requestJson,
  type UpstreamPool,
} from '../upstream/index.js';
import { startAttempt } from './record-attempt.js';
import type { SendOptions } from './send-options.js';
import type { OrderAnswer, TargetDefinition } from './target-definition.js';
import type { TargetHealth } from './target-health.js';

export interface TargetCall<TValue extends OrderAnswer> {
  readonly definition: TargetDefinition<TValue>;
  readonly upstream: UpstreamPool;
  /** The target's base URL, for span attributes. */
  readonly url: string;
  /** Milliseconds one attempt may take; the deadline may cut it shorter. */
  readonly attemptTimeoutMs: number;
  readonly health: TargetHealth;
  readonly policy: TargetPolicy;
  readonly metrics: GatewayMetrics;
  /** Whether the upstream honours Idempotency-Key, so the gateway sends keys (and may resend). */
  readonly sendsIdempotencyKeys: boolean;
  /** Removes the target's credentials from upstream-provided text. */
  readonly scrub: (text: string) => string;
  /** Whether the upstream's free-text error messages reach clients (they always reach the logs). */
  readonly exposeUpstreamMessages: boolean;
  /** Most bytes read of a single call's answer, and of a batch call's. */
  readonly maxResponseBytes: number;
  readonly maxBatchResponseBytes: number;
}

export interface ExchangeRequest {
  /** @default 'POST' */
  readonly method?: HttpMethod;
  readonly path: string;
  /** The JSON body; undefined sends none. */
  readonly body: unknown;
  /** Names the call's span instead of its path (a path carrying an id would make span names unbounded). @default path */
  readonly operation?: string;
  /**
   * The statuses that end the call as an answer rather than a classified failure (a compensation's
   * 404 "already gone"). @default every 2xx
   */
  readonly answers?: (status: number) => boolean;
  /** Sent as the Idempotency-Key header. */
  readonly idempotencyKey?: string;
  /** Whether a resend cannot duplicate the write (a header key, or a key on every batch item). */
  readonly idempotent: boolean;
  /** Most bytes of the answer read. */
  readonly maxResponseBytes: number;
  /** The span this call's span is a child of. */
  readonly parent?: Context;
  /** Spans this call serves besides its parent (the orders of a batch). */
  readonly links?: Link[];
}

/** A call's 2xx answer or its failure, and how many HTTP attempts it took. */
export interface Exchange {
  readonly result: Outcome<HttpAnswer>;
  readonly attempts: number;
}

/** What every call of one mutation or delivery shares, as far as one exchange uses it. */
export type ExchangeOptions = Pick<SendOptions, 'deadline' | 'requestId' | 'logger' | 'traceContext'>;

/**
 * Sends a request (a POST unless told otherwise) to one of the target's endpoints through the target's policies (rate limit, bulkhead,
 * breaker, retry); each attempt is bounded by the attempt timeout and the deadline. Non-2xx answers
 * become failures here, so the retry policy sees them classified. One span per call, one per attempt.
 */
export async function exchange<T extends OrderAnswer>(
  call: TargetCall<T>,
  request: ExchangeRequest,
  options: ExchangeOptions,
): Promise<Exchange> {
  const { definition } = call;
  const parent = request.parent ?? options.traceContext ?? ROOT_CONTEXT;
  const span = tracer.startSpan(
    `${definition.id} ${request.operation ?? request.path}`,
    { attributes: { [Attr.target]: definition.id }, links: request.links },
    parent,
  );
  if (request.idempotencyKey) span.setAttribute(Attr.idempotencyKeyHash, request.idempotencyKey);
  const callContext = trace.setSpan(parent, span);
  let attempts = 0;
  const method = request.method ?? 'POST';
  const answerContext: AnswerContext = {
    label: definition.label,
    idempotent: request.idempotent,
    scrub: call.scrub,
    exposeUpstreamMessages: call.exposeUpstreamMessages,
  };
  const attempt = async (): Promise<Outcome<HttpAnswer>> => {
    const left = remainingMs(options.deadline);
    if (left <= 0) return failed(deadlinePassed(definition.label));
    const timeoutMs = Math.min(call.attemptTimeoutMs, left);
    attempts++;
    const url = call.url + request.path;
    const record = startAttempt(definition.id, url, attempts, callContext, call.metrics, options, method);
    const posted = await call.health.track(() =>
      requestJson(call.upstream.pool, definition.label, {
        method,
        path: call.upstream.basePath + request.path,
        headers: attemptHeaders(definition.authHeaders, request, options, record.context),
        body: request.body,
        timeoutMs,
        timeoutIsDeadline: timeoutMs < call.attemptTimeoutMs,
        idempotent: request.idempotent,
        maxResponseBytes: request.maxResponseBytes,
      }),
    );
    const result = settleAttempt(posted, answerContext, request.answers ?? isSuccessStatus);
    record.end(posted.ok ? posted.answer.status : undefined, result.ok ? undefined : result.failure);
    return result;
  };
  const result =
    remainingMs(options.deadline) > 0
      ? await call.policy.execute(attempt, { deadline: options.deadline, idempotent: request.idempotent })
      : failed(deadlinePassed(definition.label));
  endCallSpan(span, result, attempts, call.policy.circuitState());
  return { attempts, result: result.ok ? result : failed({ ...result.failure, attempts }) };
}

/** Private: auth, idempotency key, request id and traceparent; never logged. */
function attemptHeaders(
  authHeaders: Readonly<Record<string, string>>,
  request: ExchangeRequest,
  options: ExchangeOptions,
  context: Context,
): Record<string, string> {
  const headers: Record<string, string> = { ...authHeaders };
  if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
  if (options.requestId) headers['x-request-id'] = options.requestId;
  injectTraceContext(context, headers);
  return headers;
}

function settleAttempt(
  posted: HttpResult,
  context: AnswerContext,
  answers: (status: number) => boolean,
): Outcome<HttpAnswer> {
  if (!posted.ok) return posted;
  const { status, headers, body } = posted.answer;
  if (answers(status)) return succeeded(posted.answer);
  return failed(classifyHttpStatus(status, headers, body, context));
}

function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

function endCallSpan(span: Span, result: Outcome<HttpAnswer>, attempts: number, circuit: string): void {
  span.setAttributes({
    [Attr.attempts]: attempts,
    [Attr.circuitState]: circuit,
    [Attr.outcomeKind]: result.ok ? 'success' : result.failure.kind,
  });
  if (!result.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: result.failure.message });
  span.end();
}

/** What settling one order's answer needs besides the answer. */
export interface SettleContext {
  /** The order the answer must be for. */
  readonly orderId: string;
  /** The upstream answered `Idempotent-Replayed: true`. */
  readonly replayed: boolean;
  readonly attempts: number;
  /** Whether the request carried an idempotency key (for classifying a non-2xx item). */
  readonly idempotent: boolean;
}

/**
 * Turns one order's answer (a single call's, or one item of a batch) into its outcome. A success that
 * names another order breaks the contract: reporting it would attribute someone else's write.
 */
export function settleAnswer<T extends OrderAnswer>(
  call: TargetCall<T>,
  answer: HttpAnswer,
  settle: SettleContext,
): Outcome<T> {
  const { definition } = call;
  const { status, headers, body } = answer;
  const { attempts } = settle;
  if (status < 200 || status >= 300) {
    const context: AnswerContext = {
      label: definition.label,
      idempotent: settle.idempotent,
      scrub: call.scrub,
      attempts,
      exposeUpstreamMessages: call.exposeUpstreamMessages,
    };
    return failed(classifyHttpStatus(status, headers, body, context));
  }
  const decoded = definition.decodeSuccess(body, { replayed: settle.replayed, attempts });
  if (!decoded.ok) return failed(invalidResponse(definition.label, status, decoded.problem, attempts));
  if (decoded.value.orderId !== settle.orderId) {
    const named = call.scrub(JSON.stringify(decoded.value.orderId).slice(0, 140));
    const problem = `orderId: the answer is for order ${named}, not this one`;
    return failed(invalidResponse(definition.label, status, problem, attempts));
  }
  return succeeded(decoded.value);
}

export function invalidResponse(
  label: string,
  httpStatus: number,
  problem: string,
  attempts: number,
): Failure {
  return {
    kind: 'invalidResponse',
    message: `${label} answered ${httpStatus} with a body that breaks its contract (${problem})`,
    retryable: false,
    attempts,
    httpStatus,
  };
}

function deadlinePassed(label: string): Failure {
  return {
    kind: 'timeout',
    message: `${label} was not called: the deadline had passed`,
    retryable: true,
    attempts: 0,
    timeoutMs: 0,
    requestMayHaveArrived: false,
    cutByDeadline: true,
  };
}
