// Runs `src/main.ts` as a real child process (what `npm start` runs) and reads its JSON log lines.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface SpawnedGateway {
  readonly child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

/**
 * Spawns the gateway; unless `env` names a FANOUT_DATA_DIR, its delivery queue lives in a fresh temporary
 * directory removed when the process exits.
 */
export function spawnGateway(env: Record<string, string>): SpawnedGateway {
  const ownDataDir = env.FANOUT_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'fanout-spawned-data-'));
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      METRICS_PORT: '0',
      LOG_FORMAT: 'json',
      ...(ownDataDir ? { FANOUT_DATA_DIR: ownDataDir } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => {
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    return code as number | null;
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * Waits for the "ready" log line and returns the GraphQL URL it announces.
 * @param timeoutMs generous, as tsx compiles on start and a loaded machine is slow. @default 45000
 */
export async function waitForReady(gateway: SpawnedGateway, timeoutMs = 45_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /"url":"(http:\/\/[^"]+\/graphql)"/.exec(gateway.stdout());
    if (match?.[1]) return match[1];
    if (gateway.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gateway did not become ready:\n${gateway.stdout()}\n${gateway.stderr()}`);
}

/**
 * The operator listener's base URL (e.g. `http://127.0.0.1:41235`), from the `metricsUrl` of the ready
 * log line; call it after waitForReady. Throws when the line has none (METRICS_ENABLED=false).
 */
export function operatorUrlOf(gateway: SpawnedGateway): string {
  const match = /"metricsUrl":"(http:\/\/[^"]+)\/metrics"/.exec(gateway.stdout());
  if (!match?.[1]) throw new Error(`no metricsUrl in the gateway's log:\n${gateway.stdout()}`);
  return match[1];
}

/** The JSON log lines written to stdout so far, parsed. */
export function logLines(gateway: SpawnedGateway): Record<string, unknown>[] {
  return gateway
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
