// The Redis connections of the shared delivery queue: fail-fast clients, a bounded first connect, script calls.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createFailFastRedis } from '../redis/create-fail-fast-redis.js';
import { DELIVERY_SCRIPTS, type DeliveryScriptName } from './redis-lua-scripts.js';

export interface DeliveryRedisOptions {
  /** redis:// or rediss:// URL. */
  readonly url: string;
  /** Longest wait for one command; a slower Redis fails the call as DELIVERY_QUEUE_UNAVAILABLE. @default 500 */
  readonly commandTimeoutMs?: number;
  /** Longest wait for a TCP connection before it is dropped and retried. @default 1000 */
  readonly connectTimeoutMs?: number;
  /** Told once each time Redis becomes unreachable. */
  readonly onConnectionLost?: (error: Error) => void;
}

/** A fail-fast client (no offline queue, every command bounded): a request never waits on a Redis that is away. */
export function createDeliveryRedis(options: DeliveryRedisOptions): Redis {
  return createFailFastRedis({
    url: options.url,
    commandTimeoutMs: options.commandTimeoutMs ?? 500,
    connectTimeoutMs: options.connectTimeoutMs ?? 1000,
    ...(options.onConnectionLost ? { onConnectionLost: options.onConnectionLost } : {}),
  });
}

/** Connects, failing after `timeoutMs` even when the server accepts the socket but never answers. */
export async function connectWithin(redis: Redis, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([redis.connect(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const SHAS = Object.fromEntries(
  Object.entries(DELIVERY_SCRIPTS).map(([name, lua]) => [name, createHash('sha1').update(lua).digest('hex')]),
) as Record<DeliveryScriptName, string>;

/**
 * Runs one delivery script by its SHA, loading it once when Redis does not know it yet (after a restart or
 * a SCRIPT FLUSH). Answers the script's JSON, parsed.
 */
export async function runDeliveryScript(
  redis: Redis,
  name: DeliveryScriptName,
  routingKey: string,
  args: readonly (string | number)[],
): Promise<unknown> {
  let answer: unknown;
  try {
    answer = await redis.evalsha(SHAS[name], 1, routingKey, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    answer = await redis.eval(DELIVERY_SCRIPTS[name], 1, routingKey, ...args);
  }
  if (typeof answer !== 'string') throw new Error(`delivery script ${name} answered ${typeof answer}`);
  return JSON.parse(answer);
}
