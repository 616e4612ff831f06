// fanoutStatus: every target, some targets, or none succeeded; queued writes count as not failed.
import { describe, expect, it } from 'vitest';
import { fanoutStatus } from './fanout-status.js';

describe('fanoutStatus', () => {
  it('is SUCCEEDED when every target succeeded', () => {
    expect(fanoutStatus(['succeeded', 'succeeded'])).toBe('SUCCEEDED');
  });

  it('is PARTIALLY_SUCCEEDED when some succeeded and some failed', () => {
    expect(fanoutStatus(['succeeded', 'failed'])).toBe('PARTIALLY_SUCCEEDED');
  });

  it('is FAILED when every target failed', () => {
    expect(fanoutStatus(['failed', 'failed'])).toBe('FAILED');
  });

  it('is ACCEPTED when nothing failed and at least one target is queued', () => {
    expect(fanoutStatus(['queued', 'queued'])).toBe('ACCEPTED');
    expect(fanoutStatus(['succeeded', 'queued'])).toBe('ACCEPTED');
  });

  it('is PARTIALLY_SUCCEEDED when one target failed for good and another is queued', () => {
    expect(fanoutStatus(['failed', 'queued'])).toBe('PARTIALLY_SUCCEEDED');
  });
});
