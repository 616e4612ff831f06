// The gateway's shared state and side listener, each chosen by config: idempotency store, client write limits, operator port.
import type { FastifyBaseLogger } from 'fastify';
import { type ClientWriteLimiter, createClientWriteLimiter } from './auth/client-write-limiter.js';
import type { Config } from './config/index.js';
import { createOperatorServer, type OperatorServer, type Readiness } from './http/index.js';
import {
  createMemoryIdempotencyStore,
  createRedisIdempotencyStore,
  type IdempotencyStore,
} from './idempotency/index.js';
import type { GatewayMetrics, Logger } from './observability/index.js';

/** Redis when configured, so instances share keys; else an in-process LRU. */
export function createIdempotencyStore(config: Config, logger: Logger): IdempotencyStore {
  const { maxEntries, maxBytes } = config.idempotency;
  if (!config.redis.url) return createMemoryIdempotencyStore({ maxEntries, maxBytes });
  return createRedisIdempotencyStore({
    url: config.redis.url,
    keyPrefix: config.redis.keyPrefix,
    commandTimeoutMs: config.redis.commandTimeoutMs,
    onConnectionLost: (error) =>
      logger.error(
        { err: error },
        'Redis (idempotency store) is unreachable; keyed mutations fail until it is back',
      ),
  });
}

/** The operator listener on its own (private by default) port, unless METRICS_ENABLED is false. */
export function createOperatorListener(
  config: Config,
  logger: FastifyBaseLogger,
  metrics: GatewayMetrics,
  readiness: Readiness,
): OperatorServer | undefined {
  if (!config.metrics.enabled) return undefined;
  return createOperatorServer({
    host: config.metrics.host,
    port: config.metrics.port,
    logger,
    metrics,
    readiness,
  });
}

/** Per-client write limits, shared through Redis when configured (falling back to this instance's own). */
export function createWriteLimiter(config: Config, logger: Logger): ClientWriteLimiter {
  const { writes, windowSeconds } = config.clientRateLimit;
  const redis = config.redis.url
    ? {
        url: config.redis.url,
        keyPrefix: config.redis.keyPrefix,
        commandTimeoutMs: config.redis.commandTimeoutMs,
        onConnectionLost: (error: Error) =>
          logger.error(
            { err: error },
            'Redis (client write limits) is unreachable; each instance applies the limits alone until it is back',
          ),
      }
    : undefined;
  return createClientWriteLimiter({
    writes,
    windowSeconds,
    redis,
    onError: (error) =>
      logger.error({ err: error }, 'the client write limiter failed; the request was let through'),
  });
}
