// The shared Redis delivery queue (DELIVERY_QUEUE=redis): the contract on the real Redis, outages, eviction policy.

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { newTestDelivery, registerDeliveryQueueContract } from '../src/delivery/delivery-queue-contract.js';
import { type DeliveryUpdate, type NewDelivery, openDeliveryQueue } from '../src/delivery/index.js';
import { openRedisDeliveryQueue } from '../src/delivery/redis-open-delivery-queue.js';
import { deleteRedisKeys } from './support/delete-redis-keys.js';
import { closedPort, SHARED_REDIS_URL } from './support/idempotency-stores.js';
import { startOwnRedis } from './support/own-redis.js';
import { waitUntil } from './support/wait-until.js';

/** Far below the pauses and outages below, so "rejected in time" cannot be a race with the outage ending. */
const COMMAND_TIMEOUT_MS = 300;
/** Generous bound for "failed fast" on a loaded machine; a hanging call would take the whole test timeout. */
const FAILS_WITHIN_MS = 5_000;

registerDeliveryQueueContract('Redis delivery queue (contract)', async () => {
  const keyPrefix = `test-deliveries-${randomUUID()}:`;
  return {
    open: () => openRedisDeliveryQueue({ url: SHARED_REDIS_URL, keyPrefix }),
    dispose: () => deleteRedisKeys(SHARED_REDIS_URL, keyPrefix),
  };
});

describe('Redis delivery queue', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const open = async (url: string, options: { keyPrefix?: string; assumeNoEviction?: boolean } = {}) => {
    const keyPrefix = options.keyPrefix ?? `test-deliveries-${randomUUID()}:`;
    const queue = await openRedisDeliveryQueue({
      url,
      keyPrefix,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      connectTimeoutMs: 500,
      ...(options.assumeNoEviction === undefined ? {} : { assumeNoEviction: options.assumeNoEviction }),
    });
    cleanups.push(async () => {
      await queue.close();
      if (url === SHARED_REDIS_URL) await deleteRedisKeys(url, keyPrefix);
    });
    return queue;
  };
  const ownRedis = async (...args: string[]) => {
    const server = await startOwnRedis(args);
    cleanups.push(() => server.stop());
    return server;
  };
  const expectUnavailableInTime = async (call: () => Promise<unknown>) => {
    const started = Date.now();
    await expect(call()).rejects.toMatchObject({ code: 'DELIVERY_QUEUE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(FAILS_WITHIN_MS);
  };

  it("shows every instance's listeners the changes another instance makes", async () => {
    const keyPrefix = `test-deliveries-${randomUUID()}:`;
    const [gateway, worker] = [
      await open(SHARED_REDIS_URL, { keyPrefix }),
      await open(SHARED_REDIS_URL, { keyPrefix }),
    ];
    const seenByGateway: DeliveryUpdate[] = [];
    gateway.onUpdate((update) => seenByGateway.push(update));
    const [enqueued] = await gateway.enqueue([newTestDelivery()]);
    const id = enqueued?.delivery.id ?? '';
    const [claimed] = await worker.claimDue('crm', 1, 30_000);
    if (!claimed) throw new Error('the worker claimed nothing');
    await worker.complete(id, claimed.claim, { activityId: 'act-1' });
    await waitUntil(() => seenByGateway.length >= 3, 'the gateway saw the worker settle the delivery');
    expect(seenByGateway.map((u) => `${u.previousState ?? 'new'}>${u.delivery.state}`)).toEqual([
      'new>QUEUED',
      'QUEUED>IN_FLIGHT',
      'IN_FLIGHT>DELIVERED',
    ]);
    expect(seenByGateway[2]?.delivery).toMatchObject({ id, result: { activityId: 'act-1' } });
  });

  // `bullmq` is the name the delivery issue gave the setting; it stays accepted as an alias of `redis`.
  it.each(['redis', 'bullmq'])(
    'is what openDeliveryQueue opens for DELIVERY_QUEUE=%s, under REDIS_KEY_PREFIX',
    async (queueName) => {
      const keyPrefix = `test-deliveries-${randomUUID()}:`;
      const config = loadConfig({
        DELIVERY_QUEUE: queueName,
        REDIS_URL: SHARED_REDIS_URL,
        REDIS_KEY_PREFIX: keyPrefix,
      });
      const queue = await openDeliveryQueue(config);
      cleanups.push(async () => {
        await queue.close();
        await deleteRedisKeys(SHARED_REDIS_URL, keyPrefix);
      });
      const delivery = newTestDelivery();
      await queue.enqueue([delivery]);
      const reader = new Redis(SHARED_REDIS_URL);
      cleanups.push(async () => reader.disconnect());
      expect(await reader.hget(`${keyPrefix}{deliveries}:d:${delivery.id}`, 'state')).toBe('QUEUED');
    },
  );

  it('refuses to open on a port where nothing listens, in bounded time', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    await expectUnavailableInTime(() => open(url));
  });

  it('fails enqueue, list and ping fast while Redis is paused by CLIENT PAUSE', async () => {
    const server = await ownRedis();
    const queue = await open(server.url);
    await queue.enqueue([newTestDelivery()]);
    // Redis 7.0 holds even CLIENT UNPAUSE during a pause of ALL: the server is killed afterwards instead.
    await server.admin.call('CLIENT', 'PAUSE', '60000', 'ALL');
    await expectUnavailableInTime(() => queue.enqueue([newTestDelivery()]));
    await expectUnavailableInTime(() => queue.list({}, { first: 10 }));
    await expectUnavailableInTime(() => queue.claimDue('crm', 1, 30_000));
    await expectUnavailableInTime(() => queue.ping());
  });

  it('closes in bounded time while Redis is stopped (SIGSTOP): QUIT is not waited for forever', async () => {
    const server = await ownRedis();
    const queue = await open(server.url);
    await queue.enqueue([newTestDelivery()]);
    server.process.kill('SIGSTOP');
    cleanups.push(async () => server.process.kill('SIGCONT'));
    const closed = queue.close().then(() => 'closed' as const);
    const bound = new Promise<'still waiting'>((resolve) =>
      setTimeout(() => resolve('still waiting'), FAILS_WITHIN_MS).unref(),
    );
    expect(await Promise.race([closed, bound])).toBe('closed');
    await expect(queue.ping()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('fails fast while Redis is stopped (SIGSTOP) and works again once it continues', async () => {
    const server = await ownRedis();
    const queue = await open(server.url);
    const kept = newTestDelivery();
    await queue.enqueue([kept]);
    server.process.kill('SIGSTOP');
    cleanups.push(async () => server.process.kill('SIGCONT'));
    await expectUnavailableInTime(() => queue.enqueue([newTestDelivery()]));
    await expectUnavailableInTime(() => queue.get(kept.id));
    await expectUnavailableInTime(() => queue.ping());
    server.process.kill('SIGCONT');
    await waitUntil(
      () =>
        queue.ping().then(
          () => true,
          () => false,
        ),
      'the queue answers again once Redis continues',
    );
    expect((await queue.get(kept.id))?.state).toBe('QUEUED');
  });

  it('fails fast while Redis is down and recovers when it comes back on the same port', async () => {
    const server = await ownRedis();
    const queue = await open(server.url);
    const kept = newTestDelivery();
    await queue.enqueue([kept]);
    await server.stop();
    await expectUnavailableInTime(() => queue.enqueue([newTestDelivery()]));
    await expectUnavailableInTime(() => queue.claimDue('crm', 1, 30_000));
    await expectUnavailableInTime(() => queue.ping());
    const restarted = await ownRedis('--port', String(server.port));
    await waitUntil(
      () =>
        queue.ping().then(
          () => true,
          () => false,
        ),
      'the queue reconnects to the restarted Redis',
    );
    // The restarted server kept nothing (no persistence in this test): the queue works on the empty one.
    expect(restarted.port).toBe(server.port);
    expect(await queue.get(kept.id)).toBeUndefined();
    const [enqueued] = await queue.enqueue([newTestDelivery()]);
    expect(enqueued?.created).toBe(true);
  });

  it('refuses a Redis whose maxmemory-policy may evict deliveries, naming the policy', async () => {
    const server = await ownRedis('--maxmemory-policy', 'allkeys-lru');
    await expect(open(server.url)).rejects.toMatchObject({
      code: 'DELIVERY_QUEUE_UNAVAILABLE',
      message: expect.stringMatching(/maxmemory-policy is allkeys-lru.*noeviction/),
    });
    await expect(open(server.url, { assumeNoEviction: true })).rejects.toMatchObject({
      message: expect.stringMatching(/allkeys-lru/),
    });
  });

  it('refuses a Redis that does not allow CONFIG unless the operator vouches for noeviction', async () => {
    const server = await ownRedis('--rename-command', 'CONFIG', '');
    await expect(open(server.url)).rejects.toMatchObject({
      code: 'DELIVERY_QUEUE_UNAVAILABLE',
      message: expect.stringMatching(/CONFIG GET maxmemory-policy failed.*DELIVERY_REDIS_ASSUME_NOEVICTION/),
    });
    const queue = await open(server.url, { assumeNoEviction: true });
    const [enqueued] = await queue.enqueue([newTestDelivery()]);
    expect(enqueued?.created).toBe(true);
  });

  it('reports a Redis out of memory as DELIVERY_QUEUE_UNAVAILABLE, and a refused batch writes none of it', async () => {
    const server = await ownRedis('--maxmemory', '4mb');
    const queue = await open(server.url);
    const filler = 'x'.repeat(32 * 1024);
    let refused: unknown;
    let batch: NewDelivery[] = [];
    for (let i = 0; i < 500 && refused === undefined; i++) {
      batch = [newTestDelivery({ payload: { filler } }), newTestDelivery({ payload: { filler } })];
      refused = await queue.enqueue(batch).then(
        () => undefined,
        (error: unknown) => error,
      );
    }
    expect(refused).toMatchObject({
      code: 'DELIVERY_QUEUE_UNAVAILABLE',
      message: expect.stringMatching(/OOM/),
    });
    await server.admin.call('CONFIG', 'SET', 'maxmemory', '0');
    for (const delivery of batch) expect(await queue.get(delivery.id)).toBeUndefined();
    await expect(queue.ping()).resolves.toBeUndefined();
  });
});
