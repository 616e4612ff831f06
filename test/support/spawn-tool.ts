// Runs a CLI from node_modules/.bin as a real process in its own process group, which stop() always ends.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../node_modules/.bin/', import.meta.url));

export interface SpawnedTool {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived (both tools log to either). */
  output(): string;
  /** Resolves with the exit code (null after a signal). */
  readonly exited: Promise<number | null>;
  /**
   * Ends the whole process group (the tool may fork workers): SIGTERM, then SIGKILL if it is still
   * there after `graceMs`. Safe to call twice and after the process exited.
   * @param graceMs @default 5000
   */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnToolOptions {
  readonly cwd: string;
  /** The whole environment (PATH is added): nothing leaks in from the test runner's own. */
  readonly env?: Record<string, string>;
}

/** Starts `node_modules/.bin/<name> ...args`; the process is also killed if the test runner exits first. */
export function spawnTool(name: string, args: readonly string[], options: SpawnToolOptions): SpawnedTool {
  const child = spawn(`${BIN}${name}`, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() reaches any worker it forks.
    detached: true,
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  const killOnExit = () => killGroup('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  return {
    child,
    output: () => output,
    exited,
    async stop(graceMs = 5000) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), graceMs);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Resolves with the process's exit code, or stops it and throws when it runs longer than `timeoutMs`.
 * @param timeoutMs generous: a loaded machine only makes the wait longer. @default 60000
 */
export async function waitForExit(
  tool: SpawnedTool,
  what: string,
  timeoutMs = 60_000,
): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const result = await Promise.race([tool.exited, timedOut]);
    if (result !== 'timeout') return result;
    await tool.stop();
    throw new Error(`${what} did not finish within ${timeoutMs} ms:\n${tool.output()}`);
  } finally {
    clearTimeout(timer);
  }
}
