// What the saga durability tests run: demo upstreams in the test process, gateways and workers as real child processes (kill -9 capable), temp data dirs, Redis prefixes; all closed after each test.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import {
  type CrmDemoServer,
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
  type InventoryDemoServer,
} from '../../src/demo/index.js';
import { deleteRedisKeys } from './delete-redis-keys.js';
import { operatorUrlOf, spawnGateway, waitForReady } from './spawn-gateway.js';
import { waitUntil } from './wait-until.js';

const WORKER = fileURLToPath(new URL('../../src/worker.ts', import.meta.url));

/** The shared Redis every Redis-queue test uses, each under its own key prefix. */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

export interface DurableUpstreams {
  readonly inventory: InventoryDemoServer;
  readonly crm: CrmDemoServer;
}

/** A running child process (gateway or worker) and what it logged. */
export interface RunningProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
  /** The JSON log lines written to stdout so far, parsed. */
  logLines(): Record<string, unknown>[];
  /** SIGKILL, then resolves once the process is gone. */
  kill9(): Promise<void>;
}

export interface RunningGateway extends RunningProcess {
  /** The GraphQL endpoint. */
  readonly url: string;
  /** The operator listener (`/metrics`), e.g. `http://127.0.0.1:41235`. */
  readonly operatorUrl: string;
}

/**
 * Registers the afterEach that stops what the harness started: child processes first (SIGKILL: their
 * drain is not under test), then the upstreams, then data dirs and Redis keys. Call once per test file.
 */
export function useSagaDurableHarness() {
  const processes: RunningProcess[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const running of processes.splice(0)) await running.kill9();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    /** Demo Inventory (with `stock`) and CRM in this process, so they outlive any gateway. */
    async startUpstreams(stock: Record<string, number>): Promise<DurableUpstreams> {
      const inventory = await createInventoryServer({ stock });
      const crm = await createCrmServer();
      cleanups.push(() => Promise.all([inventory.close(), crm.close()]).then(() => undefined));
      return { inventory, crm };
    },
    tempDataDir(): string {
      const dir = mkdtempSync(join(tmpdir(), 'fanout-saga-durable-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    /** A key prefix of its own on the shared Redis; its keys are deleted after the test. */
    redisPrefix(): string {
      const prefix = `fanout-saga-durable-${randomUUID()}:`;
      cleanups.push(() => deleteRedisKeys(SHARED_REDIS_URL, prefix));
      return prefix;
    },
    /** `npm start` as a child process; resolves once it logged "ready". */
    async startGateway(env: Record<string, string>): Promise<RunningGateway> {
      const gateway = spawnGateway(env);
      const running = runningProcess(gateway.child, gateway.exited, gateway.stdout);
      processes.push(running);
      const url = await waitForReady(gateway);
      return { ...running, url, operatorUrl: operatorUrlOf(gateway) };
    },
    /** `npm run worker`'s process itself (node + tsx, so SIGKILL hits it); resolves once it logged "ready". */
    async startWorker(env: Record<string, string>): Promise<RunningProcess> {
      const running = spawnWorker(env);
      processes.push(running);
      await waitUntil(
        () => running.logLines().some((line) => String(line.msg).includes('delivery worker ready')),
        'the worker logged that it is ready',
        45_000,
      );
      return running;
    },
  };
}

/** The environment pointing a gateway or worker at `upstreams`, polling often, with a 1 s lease. */
export function durableEnv(upstreams: DurableUpstreams, env: Record<string, string>): Record<string, string> {
  return {
    INVENTORY_API_URL: upstreams.inventory.url,
    INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
    CRM_API_URL: upstreams.crm.url,
    CRM_API_KEY: DEMO_CRM_API_KEY,
    DELIVERY_LEASE_MS: '1000',
    DELIVERY_POLL_INTERVAL_MS: '20',
    ...env,
  };
}

/** Private: a worker child process with its stdout kept. */
function spawnWorker(env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { PATH: process.env.PATH ?? '', METRICS_PORT: '0', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  // Drained so a chatty stderr never blocks the child.
  child.stderr?.resume();
  return runningProcess(child, once(child, 'exit'), () => out);
}

/** Private: the common face of a spawned gateway or worker. */
function runningProcess(child: ChildProcess, exited: Promise<unknown>, stdout: () => string): RunningProcess {
  return {
    child,
    exited,
    logLines: () =>
      stdout()
        .split('\n')
        // The last piece is a line still being written (or empty): only whole lines are parsed.
        .slice(0, -1)
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
