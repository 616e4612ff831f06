// Maps a non-2xx upstream answer to a Failure, following DESIGN.md's classification table.
import type { IncomingHttpHeaders } from 'node:http';
import { type Failure, safeToResend } from '../core/index.js';
import { parseRetryAfter } from './retry-after.js';

const MAX_UPSTREAM_MESSAGE = 300;

/** What the contracts call a machine code (`insufficient_stock`); any other `error` text is free text. */
const MACHINE_CODE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

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
  /**
   * Whether the upstream's free-text `message` is appended to the failure's message, which clients see.
   * Either way it is kept as `upstreamMessage`, for the logs. @default false
   */
  readonly exposeUpstreamMessages?: boolean;
}

/**
 * Classifies an HTTP answer that is not a success.
 * - 429 and 503: the contracts say nothing was applied, so a resend is always safe.
 * - 408, 500, 502, 504: the write may have been applied; resent only with an idempotency key.
 * - other 5xx (501, 505…): not transient.
 * - 4xx: a permanent rejection.
 * - 1xx and 3xx: outside the contracts (redirects are never followed, so the credential never goes elsewhere).
 * The failure's message is the gateway's own account plus the body's `error` code when it is a machine
 * code; the body's free text goes to `upstreamMessage`, and into the message only when exposed.
 * @param body the parsed JSON body, when there was one (the contracts' `{ error, message }`)
 */
export function classifyHttpStatus(
  status: number,
  headers: IncomingHttpHeaders,
  body: unknown,
  context: AnswerContext,
): Failure {
  const { label, idempotent, attempts = 1 } = context;
  const { code, upstreamMessage } = readErrorBody(body, context.scrub);
  const said = context.exposeUpstreamMessages && upstreamMessage ? `: ${upstreamMessage}` : '';
  const reason = code ? ` ${code}` : '';
  const told = upstreamMessage === undefined ? {} : { upstreamMessage };
  const retryAfterMs = parseRetryAfter(headers['retry-after']);
  if (status === 429) {
    return {
      kind: 'rateLimited',
      message: `${label} is rate limiting (429${reason})${said}`,
      retryable: true,
      attempts,
      retryAfterMs,
      ...told,
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
      ...told,
    };
  }
  if (status >= 400) {
    return {
      kind: 'rejected',
      message: `${label} rejected the request (${status}${reason})${said}`,
      retryable: false,
      attempts,
      httpStatus: status,
      code,
      ...told,
    };
  }
  const what = status >= 300 && status < 400 ? 'a redirect, which the gateway never follows' : 'unexpected';
  return {
    kind: 'invalidResponse',
    message: `${label} answered ${status}: ${what}`,
    retryable: false,
    attempts,
    httpStatus: status,
  };
}

/**
 * Private: the contracts' error body is `{ error, message }`. `error` is passed on as the code only when it
 * looks like a machine code; free text in it joins `message` as what the upstream said.
 */
function readErrorBody(
  body: unknown,
  scrub: (text: string) => string,
): { code?: string; upstreamMessage?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { error, message } = body as Record<string, unknown>;
  const code = typeof error === 'string' && MACHINE_CODE.test(error) ? scrub(error) : undefined;
  const said = [
    typeof error === 'string' && code === undefined ? error : undefined,
    typeof message === 'string' ? message : undefined,
  ].filter((text): text is string => text !== undefined && text !== '');
  if (said.length === 0) return { code };
  return { code, upstreamMessage: scrub(said.join(': ')).slice(0, MAX_UPSTREAM_MESSAGE) };
}
