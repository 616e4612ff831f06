// One HTTP attempt: POST a JSON body through a target's pool, bounded by a timeout, never throwing.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { classifyTransportError } from './classify-transport-error.js';
import type { Failure } from './failure.js';

export interface JsonPost {
  /** Absolute path on the target's origin, base path included. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Milliseconds for the whole exchange, body included. */
  readonly timeoutMs: number;
  /** Whether the request carries an Idempotency-Key, so a resend after a lost answer is safe. */
  readonly idempotent: boolean;
}

/** The upstream answered: its status, headers and body (parsed JSON, or NOT_JSON). */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** Marks a body that was not JSON, so decoders report it instead of guessing. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

export type PostResult =
  | { readonly ok: true; readonly answer: HttpAnswer }
  | { readonly ok: false; readonly failure: Failure };

class AttemptTimeout extends Error {}

/**
 * Sends one POST and reads the whole answer. Transport errors and timeouts come back as failures.
 * @param label the target's name for messages, e.g. "CRM API"
 */
export async function postJson(dispatcher: Dispatcher, label: string, post: JsonPost): Promise<PostResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new AttemptTimeout()), post.timeoutMs);
  try {
    const response = await dispatcher.request({
      method: 'POST',
      path: post.path,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...post.headers },
      body: JSON.stringify(post.body),
      signal: controller.signal,
      // The timer above bounds the whole exchange; undici's own phase timeouts would race it.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const text = await response.body.text();
    return {
      ok: true,
      answer: { status: response.statusCode, headers: response.headers, body: parseJson(text) },
    };
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason instanceof AttemptTimeout) {
      return {
        ok: false,
        failure: {
          kind: 'timeout',
          message: `${label} did not answer within ${post.timeoutMs} ms`,
          retryable: post.idempotent,
          attempts: 1,
          timeoutMs: post.timeoutMs,
        },
      };
    }
    return { ok: false, failure: classifyTransportError(label, error, post.idempotent) };
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(text: string): unknown {
  if (text === '') return NOT_JSON;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}
