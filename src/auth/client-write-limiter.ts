// Per-client inbound limits counted in upstream writes: one fixed window per client, in Redis when configured.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createFailFastRedis } from '../redis/create-fail-fast-redis.js';

/** What a client may do with the writes it asked for. */
export type WriteDecision =
  | { readonly kind: 'allowed' }
  /** Over the client's limit: nothing was charged; the window resets in `retryAfterMs`. */
  | { readonly kind: 'limited'; readonly retryAfterMs: number }
  /** More writes than a whole window allows: waiting will not help, the request must be split. */
  | { readonly kind: 'too-large'; readonly limit: number; readonly windowSeconds: number };

export interface ClientWriteLimiter {
  /** Charges `writes` upstream writes to `client`, all or nothing; never throws (a failing store lets them through). */
  take(client: string, writes: number): Promise<WriteDecision>;
  close(): Promise<void>;
}

export interface ClientWriteLimiterOptions {
  /** Upstream writes (orders × targets) one client may make per window; 0 turns the limit off. */
  readonly writes: number;
  /** Length of the fixed window, in seconds. */
  readonly windowSeconds: number;
  /** Shares every client's window between gateway instances; unset keeps windows in this process. */
  readonly redis?: ClientWriteLimiterRedisOptions;
  /** Told when the limiter failed unexpectedly and let a request through. */
  readonly onError?: (error: unknown) => void;
}

export interface ClientWriteLimiterRedisOptions {
  /** redis:// or rediss:// URL. */
  readonly url: string;
  /** Prepended to every key, e.g. `fanout:`; windows live under `${keyPrefix}client-writes:`. */
  readonly keyPrefix: string;
  /** Longest wait for one Redis command (and for the first connection) before the in-process limit decides. @default 500 */
  readonly commandTimeoutMs?: number;
  /** Longest wait for a TCP connection before it is dropped and retried. @default 1000 */
  readonly connectTimeoutMs?: number;
  /** Told once each time Redis becomes unreachable (not on every reconnect attempt). */
  readonly onConnectionLost?: (error: Error) => void;
}

const ALLOWED: WriteDecision = { kind: 'allowed' };

/**
 * Creates the limiter: a fixed window of `writes` points per client. With Redis the windows are shared;
 * when Redis fails or is slow, each instance falls back to its own in-memory windows (fail open: a Redis
 * outage loosens the limit to `writes` per instance rather than refusing every mutation).
 */
export function createClientWriteLimiter(options: ClientWriteLimiterOptions): ClientWriteLimiter {
  const { writes: points, windowSeconds: duration } = options;
  if (points === 0) return { take: async () => ALLOWED, close: async () => undefined };
  const memory = new RateLimiterMemory({ points, duration, keyPrefix: 'client-writes' });
  const shared = options.redis ? connectRedisLimiter(options.redis, { points, duration }, memory) : undefined;
  const limiter = shared?.limiter ?? memory;

  return {
    async take(client, writes) {
      if (writes <= 0) return ALLOWED;
      if (writes > points) return { kind: 'too-large', limit: points, windowSeconds: duration };
      await shared?.firstConnection;
      const key = clientKey(client);
      try {
        await limiter.consume(key, writes);
        return ALLOWED;
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) {
          options.onError?.(error);
          return ALLOWED;
        }
        // A refused request sends nothing, so it costs nothing: a refused batch must not eat what is left.
        await limiter.reward(key, writes).catch((rewardError: unknown) => options.onError?.(rewardError));
        return { kind: 'limited', retryAfterMs: Math.max(0, error.msBeforeNext) };
      }
    },
    async close() {
      shared?.redis.disconnect();
    },
  };
}

/**
 * Private: the Redis limiter on its own client, which fails fast instead of queueing commands while Redis
 * is away and times out a Redis that never answers; both send the call to the in-memory insurance limiter.
 */
function connectRedisLimiter(
  options: ClientWriteLimiterRedisOptions,
  window: { readonly points: number; readonly duration: number },
  insurance: RateLimiterMemory,
) {
  const commandTimeoutMs = options.commandTimeoutMs ?? 500;
  // No key prefix on the client: rate-limiter-flexible puts its own (keyPrefix below) on every key.
  const { url, connectTimeoutMs, onConnectionLost } = options;
  const redis = createFailFastRedis({ url, connectTimeoutMs, onConnectionLost, commandTimeoutMs });
  // Requests right after start-up wait (briefly) for the first connection rather than all hit the insurance.
  const firstConnection = Promise.race([
    redis.connect().catch(() => undefined),
    sleep(commandTimeoutMs, undefined, { ref: false }),
  ]);
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    rejectIfRedisNotReady: true,
    keyPrefix: `${options.keyPrefix}client-writes`,
    points: window.points,
    duration: window.duration,
    insuranceLimiter: insurance,
  });
  return { redis, limiter, firstConnection };
}

/** Private: hashed, because without authentication the client is a free header; keys stay short and opaque. */
function clientKey(client: string): string {
  return createHash('sha256').update(client).digest('base64url');
}
