// Opens the configured delivery queue: embedded SQLite by default, Redis for many instances.
import type { Config } from '../config/index.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { DeliveryQueueError } from './delivery-queue-error.js';
import { openRedisDeliveryQueue } from './redis-open-delivery-queue.js';
import { openSqliteDeliveryQueue } from './sqlite-delivery-queue.js';

/**
 * Opens the queue `config.delivery.queue` names, at start-up, so a data directory or Redis that cannot
 * be used stops the start instead of failing the first ASYNC order.
 * @throws DeliveryQueueError(DELIVERY_QUEUE_UNAVAILABLE) naming what could not be opened
 */
export async function openDeliveryQueue(config: Config): Promise<DeliveryQueue> {
  const { delivery } = config;
  switch (delivery.queue) {
    case 'sqlite':
      return openSqliteDeliveryQueue({ dataDir: delivery.dataDir });
    case 'redis':
    case 'bullmq': {
      const { url, keyPrefix, commandTimeoutMs } = config.redis;
      // load-config refuses the Redis queue without redis.url; this guard keeps the type honest.
      if (url === undefined)
        throw new DeliveryQueueError('DELIVERY_QUEUE_UNAVAILABLE', 'DELIVERY_QUEUE=redis needs REDIS_URL');
      return openRedisDeliveryQueue({
        url,
        keyPrefix,
        commandTimeoutMs,
        assumeNoEviction: delivery.redisAssumeNoEviction,
      });
    }
  }
}
