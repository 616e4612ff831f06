// Polls a readiness URL until it answers 200, failing fast if the child process exits first.
import type { NodeProcess } from './start-process.js';

/** Resolves once `GET url` answers 200; rejects after `timeoutMs` or when the process exits. */
export async function waitForReady(url: string, child: NodeProcess, timeoutMs = 30_000): Promise<void> {
  let exitCode: number | null | undefined;
  void child.exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(`process ${child.pid} exited (code ${exitCode}) before ${url} was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet: try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms`);
}
