// The shared idempotency store: records in Redis, so every gateway instance sees the same keys.
import { createFailFastRedis } from '../redis/create-fail-fast-redis.js';
import { asIdempotencyStoreError, IdempotencyStoreError } from './idempotency-errors.js';
import type { IdempotencyStore } from './idempotency-store.js';
import {
  CLAIM_SCRIPT,
  FINISH_SCRIPT,
  parseClaimReply,
  parseReadReply,
  READ_SCRIPT,
  type RedisScript,
} from './redis-idempotency-scripts.js';
import { withTimeout } from './with-timeout.js';

export interface RedisIdempotencyStoreOptions {
  /** redis:// or rediss:// URL. */
  readonly url: string;
  /** Prepended to every key, e.g. `fanout:`; records live under `${keyPrefix}idem:`. */
  readonly keyPrefix: string;
  /** Longest wait for any one store operation (a command, a ping, the first connection). @default 500 */
  readonly commandTimeoutMs?: number;
  /** Longest wait for a TCP connection before it is dropped and retried. @default 1000 */
  readonly connectTimeoutMs?: number;
  /** Told once each time Redis becomes unreachable (not on every reconnect attempt). */
  readonly onConnectionLost?: (error: Error) => void;
}

/** An idempotency store in Redis: each operation is one Lua script, atomic across instances, bounded in time. */
export function createRedisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  const commandTimeoutMs = options.commandTimeoutMs ?? 500;
  // Fail fast and time out a Redis that accepts connections but never answers: a keyed mutation must
  // not hang on its store.
  const redis = createFailFastRedis({ ...options, keyPrefix: `${options.keyPrefix}idem:`, commandTimeoutMs });
  // Only the first connection is waited for (a request right after start-up); later reconnects are not.
  const connected = redis.connect().catch(() => undefined);

  /** Private: one bounded operation; every failure, a timeout included, becomes an IdempotencyStoreError. */
  const operate = async <T>(what: string, command: () => Promise<T>): Promise<T> => {
    const attempt = connected.then(command);
    const timedOut = () =>
      new IdempotencyStoreError(`Redis did not answer the ${what} within ${commandTimeoutMs} ms`);
    try {
      return await withTimeout(attempt, commandTimeoutMs, timedOut);
    } catch (error) {
      throw asIdempotencyStoreError(error, `the Redis idempotency ${what} failed`);
    }
  };
  const runScript = async (script: RedisScript, key: string, args: (string | number)[]) => {
    try {
      return await redis.evalsha(script.sha, 1, key, ...args);
    } catch (error) {
      // After a Redis restart or SCRIPT FLUSH the script is gone: send it once, EVAL caches it again.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(script.lua, 1, key, ...args);
    }
  };

  return {
    claim: (key, { fingerprint, owner, leaseMs, ttlMs }) =>
      operate('claim', async () =>
        parseClaimReply(await runScript(CLAIM_SCRIPT, key, [fingerprint, owner, leaseMs, ttlMs])),
      ),
    read: (key) => operate('read', async () => parseReadReply(await runScript(READ_SCRIPT, key, []))),
    finish: (key, { fingerprint, owner, state, payload, ttlMs }) =>
      operate('finish', async () => {
        const payloadJson = payload === undefined ? '' : JSON.stringify(payload);
        await runScript(FINISH_SCRIPT, key, [fingerprint, owner, state, payloadJson, ttlMs]);
      }),
    ping: () => operate('ping', async () => void (await redis.ping())),
    async close() {
      await withTimeout(redis.quit(), commandTimeoutMs, () => new Error('QUIT timed out')).catch(() =>
        redis.disconnect(),
      );
    },
  };
}
