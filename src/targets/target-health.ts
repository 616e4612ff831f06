// Tracks one target's in-flight calls and the share of its recent calls that failed.
import type { HttpResult } from '../upstream/index.js';

const WINDOW = 100;

export interface TargetHealthSnapshot {
  readonly inflight: number;
  /** Failed calls among the last 100, from 0 to 1 (0 before any call). */
  readonly recentFailureRate: number;
}

/** Counts calls as they start and end; a ring buffer keeps the last WINDOW verdicts. */
export class TargetHealth {
  #inflight = 0;
  readonly #verdicts = new Uint8Array(WINDOW);
  #recorded = 0;
  #failures = 0;

  /** Runs one HTTP call, counting it in flight and recording whether the upstream was healthy. */
  async track(call: () => Promise<HttpResult>): Promise<HttpResult> {
    this.#inflight++;
    try {
      const result = await call();
      this.#record(isUpstreamFailure(result));
      return result;
    } finally {
      this.#inflight--;
    }
  }

  snapshot(): TargetHealthSnapshot {
    const size = Math.min(this.#recorded, WINDOW);
    return { inflight: this.#inflight, recentFailureRate: size === 0 ? 0 : this.#failures / size };
  }

  #record(failure: boolean): void {
    const slot = this.#recorded % WINDOW;
    if (this.#recorded >= WINDOW) this.#failures -= this.#verdicts[slot] ?? 0;
    this.#verdicts[slot] = failure ? 1 : 0;
    this.#failures += failure ? 1 : 0;
    this.#recorded++;
  }
}

/** Private: business rejections (4xx) mean a healthy upstream; no answer, 408, 429 and 5xx do not. */
function isUpstreamFailure(result: HttpResult): boolean {
  if (!result.ok) return true;
  const { status } = result.answer;
  return status >= 500 || status === 429 || status === 408;
}
