// The overall status of one order: did every target, some targets, or no target succeed?
import type { Outcome } from '../core/index.js';

export type FanoutStatus = 'SUCCEEDED' | 'PARTIALLY_SUCCEEDED' | 'FAILED';

export function fanoutStatus(outcomes: readonly Outcome<unknown>[]): FanoutStatus {
  const successes = outcomes.filter((outcome) => outcome.ok).length;
  if (successes === outcomes.length) return 'SUCCEEDED';
  return successes === 0 ? 'FAILED' : 'PARTIALLY_SUCCEEDED';
}
