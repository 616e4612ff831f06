// Maps a non-2xx upstream answer to a Failure, following DESIGN.md's classification table.
import type { IncomingHttpHeaders } from 'node:http';
import type { Failure } from './failure.js';
import { parseRetryAfter } from './retry-after.js';

const RETRYABLE_SERVER_ERRORS = new Set([500, 502, 503, 504]);
const MAX_UPSTREAM_MESSAGE = 300;

/**
 * Classifies an HTTP answer that is not a success.
 * @param label the target's name for messages, e.g. "Inventory API"
 * @param body the parsed JSON body, when there was one (the contracts' `{ error, message }`)
 */
export function classifyHttpStatus(
  label: string,
  status: number,
  headers: IncomingHttpHeaders,
  body: unknown,
  attempts = 1,
): Failure {
  const { code, detail } = readErrorBody(body);
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
    return {
      kind: 'unavailable',
      message: `${label} answered ${status}${said}`,
      retryable: status === 408 || RETRYABLE_SERVER_ERRORS.has(status),
      attempts,
      httpStatus: status,
      retryAfterMs,
      requestMayHaveArrived: true,
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
function readErrorBody(body: unknown): { code?: string; detail?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { error, message } = body as Record<string, unknown>;
  return {
    code: typeof error === 'string' ? error : undefined,
    detail: typeof message === 'string' ? message.slice(0, MAX_UPSTREAM_MESSAGE) : undefined,
  };
}
