// Everything one target's calls share, and the one exchange every call goes through: policies, then HTTP.
import type { TargetPolicy } from '../resilience/index.js';
import {
  classifyHttpStatus,
  type Deadline,
  type Failure,
  failed,
  type HttpAnswer,
  type Outcome,
  postJson,
  remainingMs,
  succeeded,
  type UpstreamPool,
} from '../upstream/index.js';
import type { TargetDefinition } from './target-definition.js';
import type { TargetHealth } from './target-health.js';

export interface TargetCall<TValue> {
  readonly definition: TargetDefinition<TValue>;
  readonly upstream: UpstreamPool;
  /** Milliseconds one attempt may take; the deadline may cut it shorter. */
  readonly attemptTimeoutMs: number;
  readonly health: TargetHealth;
  readonly policy: TargetPolicy;
  /** Whether the upstream honours Idempotency-Key, so the gateway sends keys (and may resend). */
  readonly sendsIdempotencyKeys: boolean;
}

export interface ExchangeRequest {
  readonly path: string;
  readonly body: unknown;
  readonly deadline: Deadline;
  /** Sent as the Idempotency-Key header. */
  readonly idempotencyKey?: string;
  /** Whether a resend cannot duplicate the write (a header key, or a key on every batch item). */
  readonly idempotent: boolean;
}

/** A call's 2xx answer or its failure, and how many HTTP attempts it took. */
export interface Exchange {
  readonly result: Outcome<HttpAnswer>;
  readonly attempts: number;
}

/**
 * POSTs a body to one of the target's endpoints through the target's policies (rate limit, bulkhead,
 * breaker, retry); each attempt is bounded by the attempt timeout and the deadline. Non-2xx answers
 * become failures here, so the retry policy sees them classified.
 */
export async function exchange<T>(call: TargetCall<T>, request: ExchangeRequest): Promise<Exchange> {
  const { definition } = call;
  const headers = request.idempotencyKey
    ? { ...definition.authHeaders, 'idempotency-key': request.idempotencyKey }
    : definition.authHeaders;
  let attempts = 0;
  const attempt = async (): Promise<Outcome<HttpAnswer>> => {
    const timeoutMs = Math.min(call.attemptTimeoutMs, remainingMs(request.deadline));
    if (timeoutMs <= 0) return failed(deadlinePassed(definition.label));
    attempts++;
    const posted = await call.health.track(() =>
      postJson(call.upstream.pool, definition.label, {
        path: call.upstream.basePath + request.path,
        headers,
        body: request.body,
        timeoutMs,
        idempotent: request.idempotent,
      }),
    );
    if (!posted.ok) return posted;
    const { status, headers: answerHeaders, body } = posted.answer;
    if (status >= 200 && status < 300) return succeeded(posted.answer);
    return failed(classifyHttpStatus(definition.label, status, answerHeaders, body));
  };
  const result =
    remainingMs(request.deadline) > 0
      ? await call.policy.execute(attempt, request.deadline)
      : failed(deadlinePassed(definition.label));
  return { attempts, result: result.ok ? result : failed({ ...result.failure, attempts }) };
}

/** Turns one order's 2xx answer (a single call's, or one item of a batch) into its outcome. */
export function settleAnswer<T>(
  definition: TargetDefinition<T>,
  answer: HttpAnswer,
  replayed: boolean,
  attempts: number,
): Outcome<T> {
  const { status, headers, body } = answer;
  if (status < 200 || status >= 300)
    return failed(classifyHttpStatus(definition.label, status, headers, body, attempts));
  const decoded = definition.decodeSuccess(body, { replayed, attempts });
  if (decoded.ok) return succeeded(decoded.value);
  return failed(invalidResponse(definition.label, status, decoded.problem, attempts));
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
  };
}
