// Child processes of the bench: TypeScript entry points run by `node --import tsx`, all stopped on exit.
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';

/** What to start. */
export interface NodeProcessOptions {
  /** Path of the TypeScript entry point, relative to the working directory. */
  readonly script: string;
  readonly args?: readonly string[];
  /** Variables added to the parent's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Node flags before the script, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
  /** Open an IPC channel (`process.send` in the child). @default false */
  readonly ipc?: boolean;
}

/** A started child. `pid` is the Node process itself, so /proc/<pid> measures the right process. */
export interface NodeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the child exits: its exit code, or null when a signal ended it. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<NodeProcess>();

/**
 * Starts `node --import tsx <script>`. `node` directly rather than the tsx CLI, which would put a
 * second process between us and the one we measure.
 */
export function startNodeProcess(options: NodeProcessOptions): NodeProcess {
  const stdio: StdioOptions = options.ipc
    ? ['ignore', 'ignore', 'inherit', 'ipc']
    : ['ignore', 'inherit', 'inherit'];
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', options.script, ...(options.args ?? [])],
    { env: { ...process.env, ...options.env }, stdio },
  );
  if (child.pid === undefined) throw new Error(`could not start ${options.script}`);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle: NodeProcess = {
    child,
    pid: child.pid,
    exited,
    async stop(graceMs = 5_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      running.delete(handle);
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** Stops every child still running, gracefully (a profiling gateway writes its profile on exit). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((handle) => handle.stop()));
}

// A crash of the bench itself must not leave servers behind on loopback ports.
process.once('exit', () => {
  for (const handle of running) handle.child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping child processes\n`);
    void stopAllProcesses().finally(() => process.exit(130));
  });
}
