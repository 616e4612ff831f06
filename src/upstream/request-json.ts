// One HTTP attempt: a JSON request (POST, or a bodiless DELETE) through a target's pool, bounded in time and in answer size, never throwing.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Failure } from '../core/index.js';
import { classifyTransportError } from './classify-transport-error.js';

/** The methods the gateway sends upstream: POST for writes and restores, DELETE for compensations that remove. */
export type HttpMethod = 'POST' | 'DELETE';

export interface JsonRequest {
  /** @default 'POST' */
  readonly method?: HttpMethod;
  /** Absolute path on the target's origin, base path included. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as JSON; undefined sends no body and no content-type (a DELETE). */
  readonly body: unknown;
  /** Milliseconds for the whole exchange, body included. */
  readonly timeoutMs: number;
  /** Whether `timeoutMs` is the time left before the caller's deadline rather than the target's attempt timeout. */
  readonly timeoutIsDeadline: boolean;
  /** Whether the request carries an Idempotency-Key, so a resend after a lost answer is safe. */
  readonly idempotent: boolean;
  /** The most answer bytes read; a longer answer is abandoned unread and is an InvalidUpstreamResponse. */
  readonly maxResponseBytes: number;
}

/** The upstream answered: its status, headers and body (parsed JSON, or NOT_JSON). */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** Marks a body that was not JSON, so decoders report it instead of guessing. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

export type HttpResult =
  | { readonly ok: true; readonly answer: HttpAnswer }
  | { readonly ok: false; readonly failure: Failure };

class AttemptTimeout extends Error {}

/**
 * Sends one request and reads the answer, at most `maxResponseBytes` of it. Transport errors, timeouts and
 * oversized answers come back as failures.
 * @param label the target's name for messages, e.g. "CRM API"
 */
export async function requestJson(
  dispatcher: Dispatcher,
  label: string,
  request: JsonRequest,
): Promise<HttpResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new AttemptTimeout()), request.timeoutMs);
  try {
    const hasBody = request.body !== undefined;
    const response = await dispatcher.request({
      method: request.method ?? 'POST',
      path: request.path,
      headers: {
        ...(hasBody && { 'content-type': 'application/json' }),
        accept: 'application/json',
        ...request.headers,
      },
      body: hasBody ? JSON.stringify(request.body) : undefined,
      signal: controller.signal,
      // The timer above bounds the whole exchange; undici's own phase timeouts would race it.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const text = await readCapped(response.body, response.headers, request.maxResponseBytes);
    if (text === undefined) {
      return { ok: false, failure: tooLarge(label, response.statusCode, request.maxResponseBytes) };
    }
    return {
      ok: true,
      answer: { status: response.statusCode, headers: response.headers, body: parseJson(text) },
    };
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason instanceof AttemptTimeout) {
      const why = request.timeoutIsDeadline ? "before the request's deadline" : 'within its attempt timeout';
      return {
        ok: false,
        failure: {
          kind: 'timeout',
          message: `${label} did not answer ${why} (${request.timeoutMs} ms)`,
          retryable: request.idempotent,
          attempts: 1,
          timeoutMs: request.timeoutMs,
          requestMayHaveArrived: true,
          cutByDeadline: request.timeoutIsDeadline,
        },
      };
    }
    return { ok: false, failure: classifyTransportError(label, error, request.idempotent) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Private: reads the body as UTF-8 unless it is longer than `limit` bytes (declared or streamed), in
 * which case the stream is destroyed (the connection is dropped rather than drained) and the result
 * is undefined.
 */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  headers: IncomingHttpHeaders,
  limit: number,
): Promise<string | undefined> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    body.destroy();
    return undefined;
  }
  // undici fails a body longer than its declared length, so a declared one within the limit is safe to
  // read whole (the common case, and the cheapest); only an undeclared length is counted as it streams.
  if (headers['content-length'] !== undefined && Number.isFinite(declared)) return body.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function tooLarge(label: string, status: number, limit: number): Failure {
  return {
    kind: 'invalidResponse',
    message: `${label} answered ${status} with a body over the ${limit}-byte limit; it was not read`,
    retryable: false,
    attempts: 1,
    httpStatus: status,
  };
}

function parseJson(text: string): unknown {
  if (text === '') return NOT_JSON;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}
