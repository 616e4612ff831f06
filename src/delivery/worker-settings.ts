// The worker's per-target numbers, derived from the target's settings: claim size, call deadline, backoff.
import type { TargetConfig } from '../config/index.js';

/** Parallel single calls of a target without a batch endpoint: a small bound, whatever its concurrency. */
const MAX_PARALLEL_SINGLE_CALLS = 16;
/** No delivery call waits longer than this, however many slow attempts the target allows. */
const MAX_CALL_DEADLINE_MS = 5 * 60_000;
/** Longest wait between tries after the queue itself failed. */
const MAX_QUEUE_BACKOFF_MS = 30_000;

/** How many due deliveries one claim takes: a whole batch when the batch endpoint is on. */
export function claimBatchSize(settings: TargetConfig): number {
  return settings.batchEnabled
    ? settings.maxBatchSize
    : Math.min(settings.concurrency, MAX_PARALLEL_SINGLE_CALLS);
}

/** Time for every attempt the target's retry policy allows, with their backoffs; at most 5 minutes. */
export function callDeadlineMs(settings: TargetConfig): number {
  const attempts = settings.maxAttempts;
  const total = settings.timeoutMs * attempts + settings.backoffMaxMs * (attempts - 1) + 1000;
  return Math.min(total, MAX_CALL_DEADLINE_MS);
}

/** Doubles from the poll interval after each consecutive queue failure, up to 30 s. */
export function queueErrorBackoffMs(consecutiveFailures: number, pollIntervalMs: number): number {
  return Math.min(pollIntervalMs * 2 ** Math.min(consecutiveFailures - 1, 20), MAX_QUEUE_BACKOFF_MS);
}
