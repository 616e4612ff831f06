// Opens the shared Redis delivery queue: connects, refuses a Redis that may evict, subscribes to other instances' changes.
import { redactUrlCredentials } from '../config/index.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { asDeliveryQueueError } from './delivery-queue-error.js';
import { connectWithin, createDeliveryRedis } from './redis-connection.js';
import { RedisDeliveryQueue } from './redis-delivery-queue.js';
import { assertNoEvictionPolicy } from './redis-eviction-policy.js';

export interface RedisDeliveryQueueOptions {
  /** redis:// or rediss:// URL (REDIS_URL). */
  readonly url: string;
  /** Prefix of every key; the queue's keys are `<keyPrefix>{deliveries}:…`. @default 'fanout:' */
  readonly keyPrefix?: string;
  /** Longest wait for one Redis command before the call fails as DELIVERY_QUEUE_UNAVAILABLE. @default 500 */
  readonly commandTimeoutMs?: number;
  /** Longest wait for a TCP connection before it is dropped and retried. @default 1000 */
  readonly connectTimeoutMs?: number;
  /** Skip the noeviction check when Redis refuses CONFIG (managed Redis); a wrong answer still fails. @default false */
  readonly assumeNoEviction?: boolean;
  /** The queue's clock, in epoch ms. @default Date.now */
  readonly clock?: () => number;
  /** Told when an onUpdate listener throws. @default process.emitWarning */
  readonly onListenerError?: (error: unknown) => void;
  /** Told once each time Redis becomes unreachable. @default ignored (calls fail with DELIVERY_QUEUE_UNAVAILABLE) */
  readonly onConnectionLost?: (error: Error) => void;
}

/**
 * Opens the queue on Redis; any number of gateways and workers may open the same Redis and prefix.
 * @throws DeliveryQueueError(DELIVERY_QUEUE_UNAVAILABLE) when Redis cannot be reached in time or may evict keys
 */
export async function openRedisDeliveryQueue(options: RedisDeliveryQueueOptions): Promise<DeliveryQueue> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 1000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 500;
  const redisOptions = {
    url: options.url,
    commandTimeoutMs,
    connectTimeoutMs,
    ...(options.onConnectionLost ? { onConnectionLost: options.onConnectionLost } : {}),
  };
  const redis = createDeliveryRedis(redisOptions);
  const subscriber = createDeliveryRedis(redisOptions);
  // Until connected, errors are reported by the rejection below, not as lost connections.
  redis.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  try {
    const startWithin = connectTimeoutMs + commandTimeoutMs;
    await connectWithin(redis, startWithin);
    await assertNoEvictionPolicy(redis, options.assumeNoEviction ?? false);
    await connectWithin(subscriber, startWithin);
    const queue = new RedisDeliveryQueue({
      redis,
      subscriber,
      keyBase: `${options.keyPrefix ?? 'fanout:'}{deliveries}:`,
      clock: options.clock ?? Date.now,
      onListenerError: options.onListenerError,
    });
    await subscriber.subscribe(queue.updatesChannel);
    return queue;
  } catch (error) {
    redis.disconnect();
    subscriber.disconnect();
    throw asDeliveryQueueError(
      error,
      `cannot use Redis at ${redactUrlCredentials(options.url)} for the delivery queue`,
    );
  }
}
