// Fastify options that bound what one client can hold: body size and the request, idle and keep-alive timeouts.
import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';
import type { Config } from '../config/index.js';

/** Most often Node checks connections for the request timeout; the bound is this late at most. */
const MAX_CHECK_INTERVAL_MS = 1000;

/**
 * The options for `Fastify()`. Node enforces `requestTimeout` (the whole request, headers and body) only
 * when `headersTimeout` is not longer — it swaps the two otherwise, and its 60 s headers default would
 * then let a client trickle its body for a minute — and only as often as `connectionsCheckingInterval`
 * (30 s by default), so both are set here from the one configured timeout.
 */
export function httpServerOptions(
  settings: Config['http'],
): Pick<
  FastifyHttpOptions<Server>,
  'bodyLimit' | 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'http'
> {
  const { requestTimeoutMs } = settings;
  return {
    bodyLimit: settings.bodyLimitBytes,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: settings.connectionTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(MAX_CHECK_INTERVAL_MS, Math.ceil(requestTimeoutMs / 4)),
    },
  };
}
