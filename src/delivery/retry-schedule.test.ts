// The retry schedule: parsing DELIVERY_RETRY_SCHEDULE-style text, jitter, Retry-After and exhaustion.
import { describe, expect, it } from 'vitest';
import {
  createRetrySchedule,
  DEFAULT_RETRY_SCHEDULE,
  parseRetrySteps,
  RetryScheduleError,
} from './retry-schedule.js';

const NOW = Date.UTC(2030, 0, 1);
const noJitter = { jitterRatio: 0 };

describe('retry schedule', () => {
  it('defaults to Svix: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    const schedule = createRetrySchedule(DEFAULT_RETRY_SCHEDULE, noJitter);
    const h = 3_600_000;
    expect(schedule.stepsMs).toEqual([0, 5000, 300_000, 1_800_000, 2 * h, 5 * h, 10 * h, 10 * h]);
    expect(schedule.maxAttempts).toBe(8);
    expect(schedule.firstAttemptAt(NOW)).toBe(NOW);
  });

  it('reads ms, s, m, h and d, decimals and spaces', () => {
    expect(parseRetrySteps(' 250ms, 1.5s ,2m,1h,1d')).toEqual([250, 1500, 120_000, 3_600_000, 86_400_000]);
  });

  it.each([
    ['', /empty/],
    ['5s,,5m', /step 2 is empty/],
    ['5s,5x', /step 2 "5x" is not a duration/],
    ['5', /step 1 "5" is not a duration/],
    ['-5s', /step 1 "-5s"/],
    ['10d', /longer than 7 days/],
    [Array.from({ length: 101 }, () => '1s').join(','), /at most 100/],
  ])('rejects %j with a clear error', (text, message) => {
    expect(() => parseRetrySteps(text)).toThrow(RetryScheduleError);
    expect(() => parseRetrySteps(text)).toThrow(message);
  });

  it('waits the step after the attempts made, counted from the failure, then says DEAD with null', () => {
    const schedule = createRetrySchedule('0s,5s,5m', noJitter);
    expect(schedule.nextAttemptAt({ attemptsMade: 1, now: NOW })).toBe(NOW + 5000);
    expect(schedule.nextAttemptAt({ attemptsMade: 2, now: NOW })).toBe(NOW + 300_000);
    expect(schedule.nextAttemptAt({ attemptsMade: 3, now: NOW })).toBeNull();
    expect(schedule.nextAttemptAt({ attemptsMade: 3, now: NOW, retryAfterMs: 1000 })).toBeNull();
  });

  it('spreads each wait over ±20% by default with the injected randomness', () => {
    const at = (random: number) =>
      createRetrySchedule('0s,10s', { random: () => random }).nextAttemptAt({ attemptsMade: 1, now: NOW });
    expect(at(0)).toBe(NOW + 8000);
    expect(at(0.5)).toBe(NOW + 10_000);
    expect(at(0.999_999)).toBe(NOW + 12_000);
    expect(createRetrySchedule('0s', { random: () => 0 }).firstAttemptAt(NOW)).toBe(NOW);
  });

  it('honours a Retry-After longer than the next step, capped at the longest step by default', () => {
    const schedule = createRetrySchedule('0s,5s,1h', noJitter);
    expect(schedule.nextAttemptAt({ attemptsMade: 1, now: NOW, retryAfterMs: 60_000 })).toBe(NOW + 60_000);
    expect(schedule.nextAttemptAt({ attemptsMade: 1, now: NOW, retryAfterMs: 1000 })).toBe(NOW + 5000);
    expect(schedule.nextAttemptAt({ attemptsMade: 1, now: NOW, retryAfterMs: 86_400_000 })).toBe(
      NOW + 3_600_000,
    );
    const capped = createRetrySchedule('0s,5s', { ...noJitter, retryAfterCapMs: 30_000 });
    expect(capped.nextAttemptAt({ attemptsMade: 1, now: NOW, retryAfterMs: 86_400_000 })).toBe(NOW + 30_000);
  });

  it('rejects a jitter ratio outside [0, 1)', () => {
    expect(() => createRetrySchedule('0s', { jitterRatio: 1 })).toThrow(/jitterRatio/);
    expect(() => createRetrySchedule('0s', { jitterRatio: -0.1 })).toThrow(/jitterRatio/);
  });
});
