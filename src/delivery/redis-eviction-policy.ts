// Refuses a Redis that may evict keys: an evicted delivery would be an accepted write silently lost.
import type { Redis } from 'ioredis';
import { DeliveryQueueError } from './delivery-queue-error.js';

/**
 * Checks `CONFIG GET maxmemory-policy` is `noeviction` (the only setting under which Redis refuses a write
 * instead of dropping stored deliveries to make room).
 * @param assumeNoEviction the operator vouches for `noeviction` where CONFIG is not allowed (managed Redis
 *   often disables or renames it); the check is then skipped when CONFIG fails, never when it answers.
 * @throws DeliveryQueueError(DELIVERY_QUEUE_UNAVAILABLE) naming the policy found, or saying CONFIG was refused
 */
export async function assertNoEvictionPolicy(redis: Redis, assumeNoEviction: boolean): Promise<void> {
  let reply: unknown;
  try {
    reply = await redis.config('GET', 'maxmemory-policy');
  } catch (error) {
    if (assumeNoEviction) return;
    throw new DeliveryQueueError(
      'DELIVERY_QUEUE_UNAVAILABLE',
      `could not check that Redis keeps deliveries (CONFIG GET maxmemory-policy failed: ${String(error)}). ` +
        'Set maxmemory-policy to noeviction, and if your Redis does not allow CONFIG (managed Redis), ' +
        'set DELIVERY_REDIS_ASSUME_NOEVICTION=true once you have made sure it is noeviction',
      { cause: error },
    );
  }
  const policy = Array.isArray(reply) ? reply[1] : undefined;
  if (policy === 'noeviction') return;
  throw new DeliveryQueueError(
    'DELIVERY_QUEUE_UNAVAILABLE',
    `Redis maxmemory-policy is ${String(policy)}: it may evict queued deliveries when memory runs out, losing ` +
      'accepted writes. Set it to noeviction (CONFIG SET maxmemory-policy noeviction, and in redis.conf)',
  );
}
