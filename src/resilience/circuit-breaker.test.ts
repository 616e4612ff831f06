// CircuitBreaker: only the upstream's own failures open it; neutral verdicts never move it; one probe at a time.
import { describe, expect, it } from 'vitest';
import { type BreakerAdmission, type BreakerPermit, CircuitBreaker } from './circuit-breaker.js';

const settings = { failureThreshold: 3, halfOpenAfterMs: 1000 };
/** Every call here may take 200 ms: a probe's budget. */
const BUDGET_MS = 200;

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function permitOf(admission: BreakerAdmission): BreakerPermit {
  if (!admission.admitted) throw new Error(`not admitted: retry after ${admission.retryAfterMs} ms`);
  return admission.permit;
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) permitOf(breaker.admit(BUDGET_MS)).settle('failure');
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and refuses with the cooldown left', () => {
    const time = clock();
    const breaker = new CircuitBreaker(settings, time.now);
    fail(breaker, 2);
    expect(breaker.state).toBe('CLOSED');
    fail(breaker, 1);
    expect(breaker.state).toBe('OPEN');
    time.advance(400);
    expect(breaker.admit(BUDGET_MS)).toEqual({ admitted: false, retryAfterMs: 600 });
  });

  it('is not moved by neutral verdicts: they neither count as failures nor reset the count', () => {
    const breaker = new CircuitBreaker(settings, clock().now);
    fail(breaker, 2);
    for (let i = 0; i < 10; i++) permitOf(breaker.admit(BUDGET_MS)).settle('neutral');
    expect(breaker.state).toBe('CLOSED');
    fail(breaker, 1);
    expect(breaker.state).toBe('OPEN');
  });

  it('resets the count on a success', () => {
    const breaker = new CircuitBreaker(settings, clock().now);
    fail(breaker, 2);
    permitOf(breaker.admit(BUDGET_MS)).settle('success');
    fail(breaker, 2);
    expect(breaker.state).toBe('CLOSED');
  });

  it('lets exactly one probe through after the cooldown and refuses the others at once', () => {
    const time = clock();
    const breaker = new CircuitBreaker(settings, time.now);
    fail(breaker, 3);
    time.advance(1000);
    const probe = permitOf(breaker.admit(BUDGET_MS));
    expect(breaker.state).toBe('HALF_OPEN');
    time.advance(50);
    expect(breaker.admit(BUDGET_MS)).toEqual({ admitted: false, retryAfterMs: 150 });
    probe.settle('success');
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.admit(BUDGET_MS).admitted).toBe(true);
  });

  it('opens again for a full cooldown when the probe fails', () => {
    const time = clock();
    const breaker = new CircuitBreaker(settings, time.now);
    fail(breaker, 3);
    time.advance(1000);
    permitOf(breaker.admit(BUDGET_MS)).settle('failure');
    expect(breaker.state).toBe('OPEN');
    expect(breaker.admit(BUDGET_MS)).toEqual({ admitted: false, retryAfterMs: 1000 });
  });

  it('lets the next attempt probe at once when a probe proves nothing (e.g. the caller ran out of time)', () => {
    const time = clock();
    const breaker = new CircuitBreaker(settings, time.now);
    fail(breaker, 3);
    time.advance(1000);
    permitOf(breaker.admit(BUDGET_MS)).settle('neutral');
    expect(breaker.state).toBe('HALF_OPEN');
    permitOf(breaker.admit(BUDGET_MS)).settle('success');
    expect(breaker.state).toBe('CLOSED');
  });

  it('replaces a probe that never settled once its caller’s time has run out', () => {
    const time = clock();
    const breaker = new CircuitBreaker(settings, time.now);
    fail(breaker, 3);
    time.advance(1000);
    const lost = permitOf(breaker.admit(BUDGET_MS));
    time.advance(200);
    permitOf(breaker.admit(BUDGET_MS)).settle('success');
    lost.settle('failure');
    expect(breaker.state).toBe('CLOSED');
  });

  it('ignores late verdicts from attempts admitted before the circuit opened', () => {
    const time = clock();
    const breaker = new CircuitBreaker(settings, time.now);
    const early = permitOf(breaker.admit(BUDGET_MS));
    fail(breaker, 3);
    early.settle('success');
    expect(breaker.state).toBe('OPEN');
  });

  it('counts each permit once', () => {
    const breaker = new CircuitBreaker(settings, clock().now);
    const permit = permitOf(breaker.admit(BUDGET_MS));
    for (let i = 0; i < 5; i++) permit.settle('failure');
    expect(breaker.state).toBe('CLOSED');
  });
});
