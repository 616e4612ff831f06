// fanoutStatus: every target, some targets, or none succeeded.
import { describe, expect, it } from 'vitest';
import { failed, succeeded } from '../core/index.js';
import { fanoutStatus } from './fanout-status.js';

const failure = failed({
  kind: 'timeout',
  message: 'slow',
  retryable: false,
  attempts: 1,
  timeoutMs: 10,
  requestMayHaveArrived: true,
  cutByDeadline: false,
});

describe('fanoutStatus', () => {
  it('is SUCCEEDED when every target succeeded', () => {
    expect(fanoutStatus([succeeded(1), succeeded(2)])).toBe('SUCCEEDED');
  });

  it('is PARTIALLY_SUCCEEDED when some succeeded and some failed', () => {
    expect(fanoutStatus([succeeded(1), failure])).toBe('PARTIALLY_SUCCEEDED');
  });

  it('is FAILED when every target failed', () => {
    expect(fanoutStatus([failure, failure])).toBe('FAILED');
  });
});
