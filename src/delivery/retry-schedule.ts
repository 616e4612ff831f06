// When a delivery's next attempt is due: a list of waits like "0s,5s,5m,30m,2h,5h,10h,10h", with jitter.
import { parseDurationList } from '../core/index.js';

/** Like Svix: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later; after the 8th attempt, DEAD. */
export const DEFAULT_RETRY_SCHEDULE = '0s,5s,5m,30m,2h,5h,10h,10h';

/** One step may not wait longer than a week: a longer one is a typo (e.g. `10d` meant `10h`). */
export const MAX_RETRY_STEP_MS = 7 * 86_400_000;
const MAX_STEPS = 100;

export class RetryScheduleError extends Error {
  override readonly name = 'RetryScheduleError';
}

export interface RetryScheduleOptions {
  /** Each wait is spread uniformly over ±ratio of itself, so a burst that failed together does not retry together. @default 0.2 */
  readonly jitterRatio?: number;
  /** Source of randomness in [0, 1). @default Math.random */
  readonly random?: () => number;
  /**
   * The longest wait a `Retry-After` may impose. A Retry-After longer than the next step is honoured up to
   * this cap, so an upstream cannot park a delivery for longer than the schedule itself would ever wait.
   * @default the schedule's longest step (10 h for the default schedule)
   */
  readonly retryAfterCapMs?: number;
}

export interface NextAttemptInput {
  /** Attempts made so far, the one that just failed included (1 after the first failure). */
  readonly attemptsMade: number;
  /** Epoch ms the wait counts from (the failure's time). */
  readonly now: number;
  /** The upstream's Retry-After, in ms, when it sent one. */
  readonly retryAfterMs?: number | undefined;
}

export interface RetrySchedule {
  /** The waits before attempt 1, 2, …: entry n is the wait before attempt n + 1. */
  readonly stepsMs: readonly number[];
  /** How many attempts the schedule allows before DEAD. */
  readonly maxAttempts: number;
  /** When the first attempt of a newly accepted delivery is due (usually `now`: the first step is 0s). */
  firstAttemptAt(now: number): number;
  /** When to try again after `attemptsMade` attempts, or null when the schedule is exhausted (→ DEAD). */
  nextAttemptAt(input: NextAttemptInput): number | null;
}

/**
 * Parses a comma-separated list of waits (`500ms`, `5s`, `5m`, `2h`, `1d`; whitespace ignored).
 * @throws RetryScheduleError naming the bad entry and its position.
 */
export function parseRetrySteps(text: string): number[] {
  let stepsMs: number[];
  try {
    stepsMs = parseDurationList(text, 'retry schedule', MAX_STEPS);
  } catch (error) {
    throw new RetryScheduleError((error as Error).message);
  }
  stepsMs.forEach((ms, index) => {
    if (ms > MAX_RETRY_STEP_MS)
      throw new RetryScheduleError(`retry schedule step ${index + 1} is longer than 7 days`);
  });
  return stepsMs;
}

/**
 * Builds a schedule from text like DELIVERY_RETRY_SCHEDULE.
 * @throws RetryScheduleError for a malformed schedule or option.
 */
export function createRetrySchedule(
  text: string = DEFAULT_RETRY_SCHEDULE,
  options: RetryScheduleOptions = {},
): RetrySchedule {
  const stepsMs = parseRetrySteps(text);
  const jitterRatio = options.jitterRatio ?? 0.2;
  if (!(jitterRatio >= 0 && jitterRatio < 1)) throw new RetryScheduleError('jitterRatio must be in [0, 1)');
  const random = options.random ?? Math.random;
  const retryAfterCapMs = options.retryAfterCapMs ?? Math.max(...stepsMs);
  if (!(retryAfterCapMs >= 0)) throw new RetryScheduleError('retryAfterCapMs must be 0 or more');
  const jittered = (ms: number) => Math.round(ms * (1 + jitterRatio * (2 * random() - 1)));
  return {
    stepsMs,
    maxAttempts: stepsMs.length,
    firstAttemptAt: (now) => now + jittered(stepsMs[0] ?? 0),
    nextAttemptAt({ attemptsMade, now, retryAfterMs }) {
      const step = stepsMs[attemptsMade];
      if (step === undefined) return null;
      const wait = jittered(step);
      const upstreamWait = Math.min(retryAfterMs ?? 0, retryAfterCapMs);
      return now + Math.max(wait, upstreamWait);
    },
  };
}
