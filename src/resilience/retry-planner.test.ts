// createRetryPlanner: which failures are retried, the backoff curve, Retry-After, and the deadline cut-off.
import { describe, expect, it } from 'vitest';
import { deadlineIn, type Failure } from '../core/index.js';
import { createRetryPlanner } from './retry-planner.js';

const settings = { maxAttempts: 4, backoffInitialMs: 100, backoffMaxMs: 300 };
const unavailable: Failure = {
  kind: 'unavailable',
  message: '503',
  retryable: true,
  attempts: 1,
  requestMayHaveArrived: true,
};
const rejected: Failure = {
  kind: 'rejected',
  message: '409',
  retryable: false,
  attempts: 1,
  httpStatus: 409,
};

describe('createRetryPlanner', () => {
  it('never retries a failure that is not retryable', () => {
    expect(createRetryPlanner(settings, deadlineIn(10_000), true).shouldRetry(rejected, 1)).toBe(false);
  });

  it('never resends a keyless write that may have arrived, even when the failure claims to be retryable', () => {
    const planner = createRetryPlanner(settings, deadlineIn(10_000), false);
    expect(planner.shouldRetry(unavailable, 1)).toBe(false);
    const timeout: Failure = {
      kind: 'timeout',
      message: 'slow',
      retryable: true,
      attempts: 1,
      timeoutMs: 100,
      requestMayHaveArrived: true,
      cutByDeadline: false,
    };
    expect(planner.shouldRetry(timeout, 1)).toBe(false);
  });

  it('resends a keyless write that provably never arrived: refused, 503, 429, circuit open', () => {
    const planner = createRetryPlanner(settings, deadlineIn(10_000), false);
    expect(planner.shouldRetry({ ...unavailable, requestMayHaveArrived: false }, 1)).toBe(true);
    expect(
      planner.shouldRetry({ kind: 'rateLimited', message: '429', retryable: true, attempts: 1 }, 1),
    ).toBe(true);
    expect(
      planner.shouldRetry({ kind: 'circuitOpen', message: 'open', retryable: true, attempts: 0 }, 1),
    ).toBe(true);
  });

  it('stops after maxAttempts', () => {
    const planner = createRetryPlanner(settings, deadlineIn(10_000), true);
    expect(planner.shouldRetry(unavailable, 3)).toBe(true);
    expect(planner.shouldRetry(unavailable, 4)).toBe(false);
  });

  it('doubles the delay per attempt up to the maximum, with half of it jittered', () => {
    const low = createRetryPlanner(settings, deadlineIn(10_000), true, () => 0);
    const high = createRetryPlanner(settings, deadlineIn(10_000), true, () => 1);
    const delays = [1, 2, 3].map((attempt) => {
      low.shouldRetry(unavailable, attempt);
      high.shouldRetry(unavailable, attempt);
      return [low.plannedDelayMs(), high.plannedDelayMs()];
    });
    expect(delays).toEqual([
      [50, 100],
      [100, 200],
      [150, 300],
    ]);
  });

  it('waits exactly the Retry-After the upstream asked for', () => {
    const planner = createRetryPlanner(settings, deadlineIn(10_000), true);
    const limited: Failure = {
      kind: 'rateLimited',
      message: '429',
      retryable: true,
      attempts: 1,
      retryAfterMs: 1234,
    };
    expect(planner.shouldRetry(limited, 1)).toBe(true);
    expect(planner.plannedDelayMs()).toBe(1234);
  });

  it('gives up at once when the wait would not leave time for an attempt before the deadline', () => {
    const planner = createRetryPlanner(settings, deadlineIn(1000), true);
    const limited: Failure = {
      kind: 'rateLimited',
      message: '429',
      retryable: true,
      attempts: 1,
      retryAfterMs: 30_000,
    };
    expect(planner.shouldRetry(limited, 1)).toBe(false);
    expect(createRetryPlanner(settings, deadlineIn(5), true).shouldRetry(unavailable, 1)).toBe(false);
  });
});
