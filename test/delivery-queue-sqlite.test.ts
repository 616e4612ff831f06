// The embedded SQLite delivery queue: the shared contract on real files, plus processes, kill -9 and bad data dirs.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { newTestDelivery, registerDeliveryQueueContract } from '../src/delivery/delivery-queue-contract.js';
import { type DeliveryQueue, openSqliteDeliveryQueue } from '../src/delivery/index.js';
import { DELIVERY_DATABASE_FILE } from '../src/delivery/sqlite-delivery-schema.js';
import { waitUntil } from './support/wait-until.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUEUE_MODULE = fileURLToPath(new URL('../src/delivery/index.ts', import.meta.url));

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'fanout-deliveries-'));
}

registerDeliveryQueueContract('SQLite delivery queue (contract)', async () => {
  const dataDir = await tempDir();
  return {
    open: () => openSqliteDeliveryQueue({ dataDir }),
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
});

describe('SQLite delivery queue', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const dir = async () => {
    const path = await tempDir();
    cleanups.push(() => rm(path, { recursive: true, force: true }));
    return path;
  };
  const open = async (dataDir: string, busyTimeoutMs?: number) => {
    const queue = await openSqliteDeliveryQueue({ dataDir, busyTimeoutMs });
    cleanups.push(() => queue.close());
    return queue;
  };
  /** Runs a script as its own Node process that imports the queue module as `queue`. */
  const runScript = (script: string, env: Record<string, string>) => {
    const code = `const { openSqliteDeliveryQueue } = await import(${JSON.stringify(QUEUE_MODULE)});\n${script}`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => stopChild(child));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    return { child, output: () => output };
  };

  it('creates the data dir and a WAL database at schema version 1', async () => {
    const dataDir = join(await dir(), 'nested', 'data');
    await open(dataDir);
    const raw = new Database(join(dataDir, DELIVERY_DATABASE_FILE), { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(1);
    } finally {
      raw.close();
    }
  });

  it('commits the enqueues of one event-loop turn together, each call resolving with its own deliveries', async () => {
    const queue = await open(await dir());
    const batches = Array.from({ length: 200 }, (_, i) => [
      newTestDelivery(),
      newTestDelivery({ target: `t${i}` }),
    ]);
    const results = await Promise.all(batches.map((batch) => queue.enqueue(batch)));
    results.forEach((result, i) => {
      expect(result.map((r) => r.delivery.id)).toEqual(batches[i]?.map((d) => d.id));
    });
    expect((await queue.list({}, { first: 500 })).items).toHaveLength(400);
  });

  it('commits claimed and queued enqueues of one turn in one transaction, each claimed delivery under its own claim', async () => {
    const dataDir = await dir();
    const queue = await open(dataDir, 300);
    const batches = [
      [newTestDelivery({ claimForMs: 30_000 }), newTestDelivery()],
      [newTestDelivery()],
      [newTestDelivery({ claimForMs: 10_000 })],
    ];
    // While another process holds the write lock the group's one transaction fails: every call, none written.
    const holder = new Database(join(dataDir, DELIVERY_DATABASE_FILE));
    cleanups.push(async () => holder.close());
    holder.exec('BEGIN IMMEDIATE');
    const refused = await Promise.allSettled(batches.map((batch) => queue.enqueue(batch)));
    expect(refused.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    holder.exec('ROLLBACK');
    expect((await queue.list({}, { first: 10 })).items).toEqual([]);

    const results = (await Promise.all(batches.map((batch) => queue.enqueue(batch)))).flat();
    expect(results.map((r) => r.delivery.state)).toEqual(['IN_FLIGHT', 'QUEUED', 'QUEUED', 'IN_FLIGHT']);
    const tokens = results.flatMap((r) => (r.claim ? [r.claim.token] : []));
    expect(new Set(tokens).size).toBe(2);
    const createdAt = results[0]?.delivery.createdAt ?? 0;
    expect(results.map((r) => r.delivery.createdAt)).toEqual([createdAt, createdAt, createdAt, createdAt]);
    expect(results.map((r) => r.claim?.leaseExpiresAt)).toEqual([
      createdAt + 30_000,
      undefined,
      undefined,
      createdAt + 10_000,
    ]);
  });

  it('commits an enqueue still waiting for its group when the queue is closed', async () => {
    const dataDir = await dir();
    const queue = await openSqliteDeliveryQueue({ dataDir });
    const delivery = newTestDelivery();
    const pending = queue.enqueue([delivery]);
    await queue.close();
    expect((await pending)[0]?.created).toBe(true);
    expect((await (await open(dataDir)).get(delivery.id))?.state).toBe('QUEUED');
  });

  it('never gives one delivery to two processes claiming from the same file at once', async () => {
    const dataDir = await dir();
    const queue = await open(dataDir);
    const ids = Array.from({ length: 1000 }, () => newTestDelivery());
    await queue.enqueue(ids);
    const goFile = join(dataDir, 'go');
    // Both processes open the queue, say READY, and start claiming together once the go file exists.
    const claimer = `
      const { existsSync } = await import('node:fs');
      const queue = await openSqliteDeliveryQueue({ dataDir: process.env.DATA_DIR });
      console.log('READY');
      while (!existsSync(process.env.GO_FILE)) await new Promise((resolve) => setTimeout(resolve, 5));
      const mine = [];
      for (;;) {
        const claimed = await queue.claimDue('crm', 2, 60000);
        if (claimed.length === 0) break;
        mine.push(...claimed.map((c) => c.delivery.id));
        // Stands for the upstream call between claims (back-to-back claims would starve the other process).
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await queue.close();
      console.log('CLAIMED ' + JSON.stringify(mine));`;
    const env = { DATA_DIR: dataDir, GO_FILE: goFile };
    const processes = [runScript(claimer, env), runScript(claimer, env)];
    await waitUntil(
      () => processes.every((p) => p.output().includes('READY')),
      'both claimers are ready',
      60_000,
    );
    await writeFile(goFile, '');
    const claimedBy = await Promise.all(
      processes.map(async ({ child, output }) => {
        const [code] = await once(child, 'exit');
        const line = /CLAIMED (.*)/.exec(output())?.[1];
        if (code !== 0 || !line) throw new Error(`claimer failed (${code}): ${output()}`);
        return JSON.parse(line) as string[];
      }),
    );
    const all = claimedBy.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(ids.map((d) => d.id).sort());
  }, 60_000);

  it('keeps every delivery whose enqueue resolved when the process is killed with SIGKILL mid-stream', async () => {
    const dataDir = await dir();
    // Enqueues without end, 10 concurrent calls per turn, printing each id once its enqueue resolved.
    const writer = `
      const queue = await openSqliteDeliveryQueue({ dataDir: process.env.DATA_DIR });
      for (let round = 0; ; round++) {
        await Promise.all(Array.from({ length: 10 }, async (_, i) => {
          const orderId = 'order-' + round + '-' + i;
          await queue.enqueue([{ id: orderId + ':crm', kind: 'write', orderId, target: 'crm',
            upstreamKey: 'key-' + orderId, payload: { orderId } }]);
          process.stdout.write('ACCEPTED ' + orderId + ':crm\\n');
        }));
      }`;
    const { child, output } = runScript(writer, { DATA_DIR: dataDir });
    const acceptedSoFar = () =>
      [...output().matchAll(/ACCEPTED (\S+)\n/g)].map((match) => match[1] as string);
    await waitUntil(() => acceptedSoFar().length >= 200, 'the child accepted 200 deliveries', 60_000);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const accepted = acceptedSoFar();
    const queue = await open(dataDir);
    const missing: string[] = [];
    for (const id of accepted) if ((await queue.get(id))?.state !== 'QUEUED') missing.push(id);
    expect(missing).toEqual([]);
    expect(accepted.length).toBeGreaterThanOrEqual(200);
  }, 60_000);

  it('rejects a data dir that is a file, naming the path, instead of hanging', async () => {
    const file = join(await dir(), 'not-a-dir');
    await writeFile(file, 'x');
    await expect(openSqliteDeliveryQueue({ dataDir: file })).rejects.toMatchObject({
      code: 'DELIVERY_QUEUE_UNAVAILABLE',
      message: expect.stringContaining(file),
    });
  });

  it('rejects a corrupt database file with a clear error', async () => {
    const dataDir = await dir();
    await writeFile(
      join(dataDir, DELIVERY_DATABASE_FILE),
      'this is not an SQLite database, just junk '.repeat(200),
    );
    await expect(openSqliteDeliveryQueue({ dataDir })).rejects.toMatchObject({
      code: 'DELIVERY_QUEUE_UNAVAILABLE',
      message: expect.stringMatching(/deliveries\.sqlite.*not a database/),
    });
  });

  it("refuses another application's SQLite file and a schema from a newer release", async () => {
    const foreignDir = await dir();
    const foreign = new Database(join(foreignDir, DELIVERY_DATABASE_FILE));
    foreign.exec('CREATE TABLE notes (text TEXT)');
    foreign.close();
    await expect(openSqliteDeliveryQueue({ dataDir: foreignDir })).rejects.toThrow(/another application/);

    const newerDir = await dir();
    await (await openSqliteDeliveryQueue({ dataDir: newerDir })).close();
    const newer = new Database(join(newerDir, DELIVERY_DATABASE_FILE));
    newer.pragma('user_version = 99');
    newer.close();
    await expect(openSqliteDeliveryQueue({ dataDir: newerDir })).rejects.toThrow(/newer release/);
  });

  it('fails within the busy timeout while another process holds the write lock, and recovers after', async () => {
    const dataDir = await dir();
    const queue = await open(dataDir, 300);
    const holder = new Database(join(dataDir, DELIVERY_DATABASE_FILE));
    cleanups.push(async () => holder.close());
    holder.exec('BEGIN IMMEDIATE');
    await expect(queue.enqueue([newTestDelivery()])).rejects.toMatchObject({
      code: 'DELIVERY_QUEUE_UNAVAILABLE',
      message: expect.stringMatching(/locked|busy/i),
    });
    await expect(queue.ping()).rejects.toMatchObject({ code: 'DELIVERY_QUEUE_UNAVAILABLE' });
    holder.exec('ROLLBACK');
    await expect(queue.ping()).resolves.toBeUndefined();
    const [enqueued] = await queue.enqueue([newTestDelivery()]);
    expect(enqueued?.created).toBe(true);
  });

  it('keeps working for one instance after another instance on the same file closes', async () => {
    const dataDir = await dir();
    const a: DeliveryQueue = await open(dataDir);
    const b: DeliveryQueue = await open(dataDir);
    const [enqueued] = await a.enqueue([newTestDelivery()]);
    await a.close();
    expect((await b.get(enqueued?.delivery.id ?? ''))?.state).toBe('QUEUED');
  });
});

/** Private: ends a script process that is still running. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
