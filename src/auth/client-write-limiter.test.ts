// createClientWriteLimiter: all-or-nothing windows per client, refusals that cost nothing, and a Redis that fails open.
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClientWriteLimiter, createClientWriteLimiter } from './client-write-limiter.js';

const opened: ClientWriteLimiter[] = [];
const stalled: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
  await Promise.all(stalled.splice(0).map((close) => close()));
});

function limiter(options: Parameters<typeof createClientWriteLimiter>[0]): ClientWriteLimiter {
  const created = createClientWriteLimiter(options);
  opened.push(created);
  return created;
}

describe('createClientWriteLimiter in memory', () => {
  it('refuses writes over the limit and says when the window resets', async () => {
    const writes = limiter({ writes: 4, windowSeconds: 60 });
    expect(await writes.take('shop', 2)).toEqual({ kind: 'allowed' });
    expect(await writes.take('shop', 2)).toEqual({ kind: 'allowed' });

    const refused = await writes.take('shop', 2);
    expect(refused.kind).toBe('limited');
    if (refused.kind !== 'limited') return;
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('charges nothing for a refused request, so a smaller one still fits', async () => {
    const writes = limiter({ writes: 10, windowSeconds: 60 });
    await writes.take('shop', 6);

    expect((await writes.take('shop', 6)).kind).toBe('limited');
    expect((await writes.take('shop', 4)).kind).toBe('allowed');
    expect((await writes.take('shop', 2)).kind).toBe('limited');
  });

  it('keeps a separate window per client', async () => {
    const writes = limiter({ writes: 2, windowSeconds: 60 });
    await writes.take('runaway', 2);

    expect((await writes.take('runaway', 2)).kind).toBe('limited');
    expect((await writes.take('shop', 2)).kind).toBe('allowed');
  });

  it('calls a request larger than a whole window too large rather than telling it to wait', async () => {
    const writes = limiter({ writes: 10, windowSeconds: 60 });
    expect(await writes.take('shop', 12)).toEqual({ kind: 'too-large', limit: 10, windowSeconds: 60 });
    expect((await writes.take('shop', 10)).kind).toBe('allowed');
  });

  it('lets everything through when the limit is 0', async () => {
    const writes = limiter({ writes: 0, windowSeconds: 60 });
    for (let i = 0; i < 5; i++) expect(await writes.take('shop', 1_000_000)).toEqual({ kind: 'allowed' });
  });
});

describe('createClientWriteLimiter with an unusable Redis', () => {
  const keyPrefix = `test:${randomUUID()}:`;

  it('falls back to a window of its own when Redis refuses connections', async () => {
    const port = await closedPort();
    const errors: unknown[] = [];
    const writes = limiter({
      writes: 2,
      windowSeconds: 60,
      redis: { url: `redis://127.0.0.1:${port}`, keyPrefix, commandTimeoutMs: 200 },
      onError: (error) => errors.push(error),
    });

    expect((await writes.take('shop', 2)).kind).toBe('allowed');
    expect((await writes.take('shop', 2)).kind).toBe('limited');
    expect(errors).toEqual([]);
  });

  it('falls back to a window of its own, in time, when Redis accepts connections but never answers', async () => {
    const port = await stalledServer();
    const writes = limiter({
      writes: 2,
      windowSeconds: 60,
      redis: { url: `redis://127.0.0.1:${port}`, keyPrefix, commandTimeoutMs: 200 },
    });

    const started = Date.now();
    expect((await writes.take('shop', 2)).kind).toBe('allowed');
    expect((await writes.take('shop', 2)).kind).toBe('limited');
    // Generous: each call waits at most a command timeout (200 ms) before the in-memory window decides.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

/** Private: a TCP server that accepts connections and never answers, like a Redis that hangs. */
async function stalledServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  stalled.push(() => {
    for (const socket of sockets) socket.destroy();
    return closeServer(server);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** Private: a port nothing listens on (just released by the OS). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await closeServer(server);
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
