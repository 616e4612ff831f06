// Request-level failures Fastify raises before GraphQL runs (body too large, bad JSON, wrong media type) answer GraphQL-shaped, coded errors.
import type { FastifyError, FastifyInstance } from 'fastify';

export interface BodyLimitErrorOptions {
  /** The configured bodyLimit, in bytes, reported to the client. */
  readonly limitBytes: number;
  /** The `extensions.code` of a body over the limit (the gateway's LIMIT_EXCEEDED). */
  readonly code: string;
  /** The `extensions.code` of a body Fastify cannot parse (the gateway's BAD_REQUEST). */
  readonly badRequestCode: string;
}

/** Fastify's content-type parser errors: the request itself is malformed; each keeps its own 4xx status. */
const UNPARSABLE_BODY = new Set([
  'FST_ERR_CTP_INVALID_JSON_BODY',
  'FST_ERR_CTP_EMPTY_JSON_BODY',
  'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
  'FST_ERR_CTP_INVALID_TYPE',
]);

/**
 * Sets the app's error handler. A body over the limit is a 413 whose `errors[0]` says so, with
 * `extensions.limitName: 'bodyLimitBytes'`, and the connection closes rather than reading the rest of
 * the upload. A body Fastify cannot parse (bad or empty JSON, an unsupported content type) keeps its
 * 4xx status but answers like every other client error, `{ errors: [{ message, extensions: { code } }] }`.
 * Every other error goes on to Fastify's default handler.
 */
export function registerBodyLimitError(app: FastifyInstance, options: BodyLimitErrorOptions): void {
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const message = `The request body is larger than ${options.limitBytes} bytes, the gateway's limit: split the request`;
      const extensions = { code: options.code, limitName: 'bodyLimitBytes', limit: options.limitBytes };
      return reply
        .code(413)
        .header('connection', 'close')
        .send({ errors: [{ message, extensions }] });
    }
    if (UNPARSABLE_BODY.has(error.code)) {
      const extensions = { code: options.badRequestCode };
      return reply.code(error.statusCode ?? 400).send({ errors: [{ message: error.message, extensions }] });
    }
    throw error;
  });
}
