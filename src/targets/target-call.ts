// Everything one target's calls share, and the one HTTP exchange that every call goes through.
import {
  classifyHttpStatus,
  type Deadline,
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
}

/**
 * POSTs a body to one of the target's endpoints within the attempt timeout and the deadline.
 * @returns the answer (any status), or the failure when no answer came
 */
export async function exchange<T>(
  call: TargetCall<T>,
  request: {
    readonly path: string;
    readonly body: unknown;
    readonly deadline: Deadline;
    readonly idempotencyKey?: string;
  },
): Promise<Outcome<HttpAnswer>> {
  const { definition } = call;
  const timeoutMs = Math.min(call.attemptTimeoutMs, remainingMs(request.deadline));
  if (timeoutMs <= 0) {
    return failed({
      kind: 'timeout',
      message: `${definition.label} was not called: the deadline had already passed`,
      retryable: true,
      attempts: 0,
      timeoutMs: 0,
    });
  }
  const result = await call.health.track(() =>
    postJson(call.upstream.pool, definition.label, {
      path: call.upstream.basePath + request.path,
      headers: request.idempotencyKey
        ? { ...definition.authHeaders, 'idempotency-key': request.idempotencyKey }
        : definition.authHeaders,
      body: request.body,
      timeoutMs,
      idempotent: request.idempotencyKey !== undefined,
    }),
  );
  return result.ok ? succeeded(result.answer) : result;
}

/** Turns one order's answer (a single call's, or one item of a batch) into its outcome. */
export function settleAnswer<T>(
  definition: TargetDefinition<T>,
  answer: HttpAnswer,
  replayed: boolean,
): Outcome<T> {
  const { status, headers, body } = answer;
  if (status < 200 || status >= 300)
    return failed(classifyHttpStatus(definition.label, status, headers, body));
  const decoded = definition.decodeSuccess(body, replayed);
  if (decoded.ok) return succeeded(decoded.value);
  return failed(invalidResponse(definition.label, status, decoded.problem));
}

export function invalidResponse(label: string, httpStatus: number, problem: string) {
  return {
    kind: 'invalidResponse' as const,
    message: `${label} answered ${httpStatus} with a body that breaks its contract (${problem})`,
    retryable: false,
    attempts: 1,
    httpStatus,
  };
}
