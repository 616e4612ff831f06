// Maps a non-2xx upstream answer to a Failure, following DESIGN.md's classification table.
import type { IncomingHttpHeaders } from 'node:http';
import { type Failure, safeToResend } from './failure.js';
import { parseRetryAfter } from './retry-after.js';

const MAX_UPSTREAM_MESSAGE = 300;

/** How the request that got this answer was sent, and what of the answer's text may be shown. */
export interface AnswerContext {
  /** The target's name for messages, e.g. "Inventory API". */
  readonly label: string;
  /** Whether the request carried an Idempotency-Key (every item, for a batch), so a resend cannot duplicate it. */
  readonly idempotent: boolean;
  /** Removes the target's own credentials from upstream-provided text before it reaches a client or a log. */
  readonly scrub: (text: string) => string;
  /** HTTP attempts made so far. @default 1 */
  readonly attempts?: number;
}

/**
 * Classifies an HTTP answer that is not a success.
 * - 429 and 503: the contracts say nothing was applied, so a resend is always safe.
 * - 408, 500, 502, 504: the write may have been applied; resent only with an idempotency key.
 * - other 5xx (501, 505…): not transient.
 * - 4xx: a permanent rejection.
 * @param body the parsed JSON body, when there was one (the contracts' `{ error, message }`)
 */
export function classifyHttpStatus(
  status: number,
  headers: IncomingHttpHeaders,
  body: unknown,
  context: AnswerContext,
): Failure {
  const { label, idempotent, attempts = 1 } = context;
  const { code, detail } = readErrorBody(body, context.scrub);
  const said = detail ? `: ${detail}` : '';
  const retryAfterMs = parseRetryAfter(headers['retry-after']);
  if (status === 429) {
    return {
      kind: 'rateLimited',
      message: `${label} is rate limiting (429)${said}`,
      retryable: true,
      attempts,
      retryAfterMs,
    };
  }
  if (status === 408 || status >= 500) {
    const notApplied = status === 503;
    const transient = notApplied || status === 408 || status === 500 || status === 502 || status === 504;
    return {
      kind: 'unavailable',
      message: `${label} answered ${status}${said}`,
      retryable: safeToResend(transient, !notApplied, idempotent),
      attempts,
      httpStatus: status,
      retryAfterMs,
      requestMayHaveArrived: !notApplied,
    };
  }
  if (status >= 400) {
    const reason = code ? ` ${code}` : '';
    return {
      kind: 'rejected',
      message: `${label} rejected the request (${status}${reason})${said}`,
      retryable: false,
      attempts,
      httpStatus: status,
      code,
    };
  }
  return {
    kind: 'invalidResponse',
    message: `${label} answered an unexpected ${status}`,
    retryable: false,
    attempts,
    httpStatus: status,
  };
}

/** Private: the contracts' error body is `{ error, message }`; anything else just has no code. */
function readErrorBody(body: unknown, scrub: (text: string) => string): { code?: string; detail?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { error, message } = body as Record<string, unknown>;
  return {
    code: typeof error === 'string' ? scrub(error).slice(0, MAX_UPSTREAM_MESSAGE) : undefined,
    detail: typeof message === 'string' ? scrub(message).slice(0, MAX_UPSTREAM_MESSAGE) : undefined,
  };
}
