// Bounds how long a caller waits for a promise; the operation itself carries on, its late result is ignored.

/**
 * Settles like `promise`, or rejects with `onTimeout()` after `ms` (0 or less: on the next timer tick).
 * A late rejection of `promise` is handled here, never reported as unhandled.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
