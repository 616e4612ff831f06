// A throwaway redis-server on a free port, for tests that stop, pause or misconfigure Redis (never the shared one on 6379).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { closedPort } from './idempotency-stores.js';

export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  /** A plain client for test-side commands (CLIENT PAUSE, CONFIG SET). */
  readonly admin: Redis;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** A throwaway redis-server on a free port (never the shared one on 6379, which others use). */
export async function startOwnRedis(args: readonly string[]): Promise<OwnRedis> {
  const portIndex = args.indexOf('--port');
  const port = portIndex >= 0 ? Number(args[portIndex + 1]) : await closedPort();
  const extra = portIndex >= 0 ? args.filter((_, i) => i !== portIndex && i !== portIndex + 1) : args;
  const child: ChildProcess = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra],
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
  const admin = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    admin,
    process: child,
    async stop() {
      admin.disconnect();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
