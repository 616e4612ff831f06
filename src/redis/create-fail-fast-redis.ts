// A Redis client that fails fast instead of queueing, times out a Redis that never answers, and reports losing it once.
import { Redis } from 'ioredis';

export interface FailFastRedisOptions {
  /** redis:// or rediss:// URL. */
  readonly url: string;
  /** Prepended to every key the client writes. @default none */
  readonly keyPrefix?: string;
  /** Longest wait for any one command. @default 500 */
  readonly commandTimeoutMs?: number;
  /** Longest wait for a TCP connection before it is dropped and retried. @default 1000 */
  readonly connectTimeoutMs?: number;
  /** Told once each time Redis becomes unreachable (not on every reconnect attempt). */
  readonly onConnectionLost?: (error: Error) => void;
}

/**
 * Connects lazily (call `connect()`), never queues commands while Redis is away (a request must not
 * hang on it), retries a command at most once, and bounds every command and connection attempt. The
 * gateway's Redis users (idempotency records, per-client write limits) each open one.
 */
export function createFailFastRedis(options: FailFastRedisOptions): Redis {
  const redis = new Redis(options.url, {
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: options.connectTimeoutMs ?? 1000,
  });
  let reachable = true;
  redis.on('error', (error: Error) => {
    if (reachable) options.onConnectionLost?.(error);
    reachable = false;
  });
  redis.on('ready', () => {
    reachable = true;
  });
  return redis;
}
