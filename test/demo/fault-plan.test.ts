// Unit behaviour of the fault plan: queue before settings, failure rates, path filters, latency, reset.
import { describe, expect, it } from 'vitest';
import { createFaultPlan } from '../../src/demo/fault-plan.js';

const DEDUCT = '/inventory/deduct';

describe('fault plan', () => {
  it('picks no fault and the creation latency when nothing is set', () => {
    const plan = createFaultPlan(25);

    expect(plan.pick(DEDUCT, DEDUCT)).toBeUndefined();
    expect(plan.latencyFor(DEDUCT, DEDUCT)).toBe(25);
  });

  it('serves queued faults in order, before the standing failure', () => {
    const plan = createFaultPlan();
    plan.set({ failure: { kind: 'hang' } });
    plan.enqueue({ kind: 'status', status: 503 }, { kind: 'drop' });

    expect(plan.pick(DEDUCT, DEDUCT)).toEqual({ kind: 'status', status: 503 });
    expect(plan.pick(DEDUCT, DEDUCT)).toEqual({ kind: 'drop' });
    expect(plan.pick(DEDUCT, DEDUCT)).toEqual({ kind: 'hang' });
  });

  it('gives every request the failure when failureRate is left out, and 503 when failure is left out', () => {
    const plan = createFaultPlan();
    plan.set({ failure: { kind: 'malformed' } });
    expect(plan.pick(DEDUCT, DEDUCT)).toEqual({ kind: 'malformed' });

    plan.set({ failureRate: 1 });
    expect(plan.pick(DEDUCT, DEDUCT)).toEqual({ kind: 'status', status: 503 });
  });

  it('fails roughly failureRate of the requests', () => {
    const plan = createFaultPlan();
    plan.set({ failureRate: 0.3 });
    let failed = 0;
    for (let index = 0; index < 10_000; index++) if (plan.pick(DEDUCT, DEDUCT) !== undefined) failed++;

    expect(failed).toBeGreaterThan(2_500);
    expect(failed).toBeLessThan(3_500);
  });

  it('matches paths by route pattern or by concrete path, for faults, queue and latency alike', () => {
    const plan = createFaultPlan(5);
    plan.set({ latencyMs: 100, failure: { kind: 'drop' }, paths: ['/inventory/stock/SKU-A'] });
    plan.enqueue({ kind: 'hang' });

    expect(plan.pick(DEDUCT, DEDUCT)).toBeUndefined();
    expect(plan.latencyFor(DEDUCT, DEDUCT)).toBe(5);
    expect(plan.pick('/inventory/stock/:sku', '/inventory/stock/SKU-B')).toBeUndefined();
    expect(plan.pick('/inventory/stock/:sku', '/inventory/stock/SKU-A')).toEqual({ kind: 'hang' });
    expect(plan.latencyFor('/inventory/stock/:sku', '/inventory/stock/SKU-A')).toBe(100);

    plan.set({ failure: { kind: 'drop' }, paths: ['/inventory/stock/:sku'] });
    expect(plan.pick('/inventory/stock/:sku', '/inventory/stock/SKU-B')).toEqual({ kind: 'drop' });
  });

  it('keeps the queue when the settings are replaced and clears both on reset', () => {
    const plan = createFaultPlan();
    plan.enqueue({ kind: 'invalidJson' });
    plan.set({ latencyMs: 10 });

    expect(plan.snapshot()).toEqual({ settings: { latencyMs: 10 }, queued: [{ kind: 'invalidJson' }] });
    plan.reset();
    expect(plan.snapshot()).toEqual({ settings: {}, queued: [] });
    expect(plan.pick(DEDUCT, DEDUCT)).toBeUndefined();
  });
});
