// Waits for an event another server or process causes, by polling with a generous bound: never a fixed sleep.

/**
 * Polls `condition` until it holds: for waiting on an event another process causes, never a fixed sleep.
 * @param what names the awaited event in the timeout error.
 * @param timeoutMs generous on purpose, so a loaded machine only makes the wait longer. @default 30000
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
