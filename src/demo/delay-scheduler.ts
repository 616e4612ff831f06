// Delay scheduler for injected latency: timers a closing server can cancel, so close() never waits.

/** Hands out cancellable delays. */
export interface DelayScheduler {
  /** Resolves after `ms`; never resolves once `cancelAll` has run. */
  wait(ms: number): Promise<void>;
  /** Clears every pending timer and refuses new ones. */
  cancelAll(): void;
}

/** Creates a scheduler whose pending timers are all cleared by `cancelAll`. */
export function createDelayScheduler(): DelayScheduler {
  const pending = new Set<NodeJS.Timeout>();
  let cancelled = false;

  return {
    wait(ms) {
      return new Promise<void>((resolve) => {
        if (cancelled) return;
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, ms);
        pending.add(timer);
      });
    },
    cancelAll() {
      cancelled = true;
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}
