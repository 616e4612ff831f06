// A pause a worker loop can be woken from early: by new due work, or by stop().

export interface WakeablePause {
  /** Resolves after `ms`, or sooner when woken; at once when a wake came since the last sleep. */
  sleep(ms: number): Promise<void>;
  /** Ends the current sleep, or the next one when none is running (so a wake during work is not lost). */
  wake(): void;
}

/** One pause per loop: sleeps do not overlap. */
export function createWakeablePause(): WakeablePause {
  let current: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  let woken = false;
  return {
    sleep(ms) {
      if (woken) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          current = undefined;
          resolve();
        }, ms);
        current = { timer, resolve };
      });
    },
    wake() {
      if (!current) {
        woken = true;
        return;
      }
      clearTimeout(current.timer);
      const { resolve } = current;
      current = undefined;
      resolve();
    },
  };
}
