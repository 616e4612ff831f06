// verdictOf and callVerdict: what an attempt, and a whole call, tell the circuit breaker.
import { describe, expect, it } from 'vitest';
import { type Failure, failed, succeeded } from '../core/index.js';
import { callVerdict, verdictOf } from './create-target-policy.js';

const timeout = (cutByDeadline: boolean, requestMayHaveArrived = true): Failure => ({
  kind: 'timeout',
  message: 'slow',
  retryable: true,
  attempts: requestMayHaveArrived ? 1 : 0,
  timeoutMs: 100,
  requestMayHaveArrived,
  cutByDeadline,
});

describe('verdictOf', () => {
  it('counts only the upstream’s own failures against it', () => {
    expect(
      verdictOf(
        failed({
          kind: 'unavailable',
          message: '503',
          retryable: true,
          attempts: 1,
          requestMayHaveArrived: false,
        }),
      ),
    ).toBe('failure');
    expect(verdictOf(failed(timeout(false)))).toBe('failure');
  });

  it('says nothing for a call cut short by the caller, never sent, throttled or off-contract', () => {
    expect(verdictOf(failed(timeout(true)))).toBe('neutral');
    expect(verdictOf(failed(timeout(true, false)))).toBe('neutral');
    expect(
      verdictOf(
        failed({
          kind: 'unavailable',
          message: 'full',
          retryable: true,
          attempts: 0,
          requestMayHaveArrived: false,
        }),
      ),
    ).toBe('neutral');
    expect(verdictOf(failed({ kind: 'rateLimited', message: '429', retryable: true, attempts: 1 }))).toBe(
      'neutral',
    );
    expect(
      verdictOf(failed({ kind: 'invalidResponse', message: 'bad', retryable: false, attempts: 1 })),
    ).toBe('neutral');
  });

  it('counts an answer, even a business rejection, as a healthy upstream', () => {
    expect(verdictOf(succeeded({}))).toBe('success');
    expect(
      verdictOf(failed({ kind: 'rejected', message: '409', retryable: false, attempts: 1, httpStatus: 409 })),
    ).toBe('success');
  });
});

describe('callVerdict', () => {
  it('is a success when a retry healed the call, however many attempts failed before', () => {
    expect(callVerdict(true, new Set(['failure', 'success']))).toBe('success');
  });

  it('is a failure when any attempt was the upstream’s fault, even if the last was cut short', () => {
    expect(callVerdict(false, new Set(['failure', 'neutral']))).toBe('failure');
  });

  it('is a success when the upstream answered and never failed, and neutral when it proved nothing', () => {
    expect(callVerdict(false, new Set(['neutral', 'success']))).toBe('success');
    expect(callVerdict(false, new Set(['neutral']))).toBe('neutral');
  });
});
