// A Redis that accepts connections but never answers (SIGSTOP): keyed work and readiness fail in time.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadlineIn } from '../src/core/index.js';
import {
  createRedisIdempotencyStore,
  type IdempotencyStore,
  IdempotencyStoreError,
  type RedisIdempotencyStoreOptions,
  runIdempotently,
} from '../src/idempotency/index.js';
import { closedPort } from './support/idempotency-stores.js';
import { order, PLACE_ORDER } from './support/operations.js';
import { startTestGateway } from './support/start-test-gateway.js';

/** Generous: the deadline is 1.5 s, a stalled Redis used to leave the request unanswered for good. */
const ANSWERED_WITHIN_MS = 5_000;

interface OwnRedis {
  readonly url: string;
  readonly process: ChildProcess;
}

let redis: OwnRedis | undefined;
const stores: IdempotencyStore[] = [];

beforeEach(async () => {
  redis = await startOwnRedis();
});

afterEach(async () => {
  if (redis?.process.pid !== undefined) process.kill(redis.process.pid, 'SIGCONT');
  await Promise.all(stores.splice(0).map((store) => store.close()));
  if (redis && redis.process.exitCode === null) {
    const exited = once(redis.process, 'exit');
    redis.process.kill('SIGKILL');
    await exited;
  }
  redis = undefined;
});

/** Private: a throwaway redis-server on a free port (never the shared one on 6379, which must not be stopped). */
async function startOwnRedis(): Promise<OwnRedis> {
  const port = await closedPort();
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, process: child };
}

function openStore(options: Partial<RedisIdempotencyStoreOptions> = {}): IdempotencyStore {
  if (!redis) throw new Error('no redis-server');
  const store = createRedisIdempotencyStore({
    url: redis.url,
    keyPrefix: `stall:${randomUUID()}:`,
    ...options,
  });
  stores.push(store);
  return store;
}

function stall(): void {
  if (redis?.process.pid === undefined) throw new Error('no redis-server');
  process.kill(redis.process.pid, 'SIGSTOP');
}

/** Private: a keyed run with a 1.5 s deadline; resolves to how it ended and how long it took. */
async function keyedRunAgainst(store: IdempotencyStore, work: () => Promise<string>) {
  const started = performance.now();
  const error = await runIdempotently(store, {
    client: 'client-a',
    key: randomUUID(),
    request: { op: 'placeOrder' },
    deadline: deadlineIn(1_500),
    ttlMs: 60_000,
    work,
    isFinal: () => true,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, elapsedMs: performance.now() - started };
}

describe('a stalled Redis', () => {
  it('fails a keyed run with IdempotencyStoreError well before 5 s, without running the work', async () => {
    const store = openStore();
    await store.ping();
    stall();
    const work = vi.fn(async () => 'sent');

    const { error, elapsedMs } = await keyedRunAgainst(store, work);

    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect(elapsedMs).toBeLessThan(ANSWERED_WITHIN_MS);
    expect(work).not.toHaveBeenCalled();
  });

  it('fails a keyed run at its deadline even when the command timeout is longer', async () => {
    const store = openStore({ commandTimeoutMs: 30_000 });
    await store.ping();
    stall();
    const work = vi.fn(async () => 'sent');

    const { error, elapsedMs } = await keyedRunAgainst(store, work);

    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect((error as Error).message).toContain('deadline');
    expect(elapsedMs).toBeLessThan(ANSWERED_WITHIN_MS);
    expect(work).not.toHaveBeenCalled();
  });

  it('fails a keyed run in time when the store first connects to an already stalled Redis', async () => {
    stall();
    const work = vi.fn(async () => 'sent');

    const { error, elapsedMs } = await keyedRunAgainst(openStore(), work);

    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect(elapsedMs).toBeLessThan(ANSWERED_WITHIN_MS);
    expect(work).not.toHaveBeenCalled();
  });

  it('fails the readiness ping with IdempotencyStoreError within the command timeout', async () => {
    const store = openStore();
    await store.ping();
    stall();
    const started = performance.now();

    await expect(store.ping()).rejects.toBeInstanceOf(IdempotencyStoreError);
    expect(performance.now() - started).toBeLessThan(ANSWERED_WITHIN_MS);
  });

  it('serves keyed runs again once Redis answers again', async () => {
    const store = openStore();
    await store.ping();
    stall();
    await expect(store.ping()).rejects.toBeInstanceOf(IdempotencyStoreError);
    if (redis?.process.pid !== undefined) process.kill(redis.process.pid, 'SIGCONT');

    await vi.waitFor(() => store.ping(), { timeout: 10_000, interval: 100 });
    const { error } = await keyedRunAgainst(store, async () => 'sent');
    expect(error).toBeUndefined();
  });
});

describe('a stalled Redis behind a running gateway', () => {
  it('answers a keyed mutation with IDEMPOTENCY_STORE_UNAVAILABLE in time, sending nothing, and the operator /readyz with 503 naming Redis', async () => {
    if (!redis) throw new Error('no redis-server');
    const gateway = await startTestGateway({
      env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `stall:${randomUUID()}:` },
    });
    try {
      const readyz = `${gateway.operatorUrl}/readyz`;
      expect((await fetch(readyz)).status).toBe(200);
      stall();

      const started = performance.now();
      const keyed = await gateway.graphql(PLACE_ORDER, {
        input: order('o-stalled'),
        options: { idempotencyKey: 'stalled-key', deadlineMs: 1500 },
      });
      expect(keyed.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_STORE_UNAVAILABLE');
      expect(performance.now() - started).toBeLessThan(ANSWERED_WITHIN_MS);
      expect(gateway.inventory.requestCount() + gateway.crm.requestCount()).toBe(0);

      const probed = performance.now();
      const ready = await fetch(readyz);
      expect(performance.now() - probed).toBeLessThan(ANSWERED_WITHIN_MS);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ reason: expect.stringContaining('Redis') });

      const unkeyed = await gateway.graphql<{ placeOrder: { status: string } }>(PLACE_ORDER, {
        input: order('o-unkeyed'),
      });
      expect(unkeyed.body.data?.placeOrder.status).toBe('SUCCEEDED');
    } finally {
      if (redis.process.pid !== undefined) process.kill(redis.process.pid, 'SIGCONT');
      await gateway.close();
    }
  });
});
