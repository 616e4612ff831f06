// compensationFromPayload and compensationDelivery: what a stored compensation may say, and how its key and id are derived.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compensationIdempotencyKey, targetModuleById } from '../targets/index.js';
import { compensationDelivery } from './compensation-delivery.js';
import { compensationFromPayload, compensationPayload } from './compensation-payload.js';

const deduction = { orderId: 'o-1', deductionId: 'ded_1', items: [], replayed: false, attempts: 1 };
const activity = { orderId: 'o-1', activityId: 'act_1', loggedAt: '', replayed: false, attempts: 1 };

describe('compensationFromPayload', () => {
  it("reads back every target's compensation request exactly as its module built it", () => {
    const requests = [
      targetModuleById('inventory')?.compensation(deduction),
      targetModuleById('crm')?.compensation(activity),
    ];
    for (const request of requests) {
      if (!request) throw new Error('a target module is missing');
      expect(compensationFromPayload(compensationPayload(request))).toEqual({
        ok: true,
        form: 'undo',
        request,
      });
    }
  });

  it('reads back the resolve-then-undo form of a write that may have been applied', () => {
    const resolve = {
      writeDeliveryId: 'dlv_w',
      writeUpstreamKey: 'fgw_write',
      order: { orderId: 'o-1', customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 2 }] },
    };
    expect(compensationFromPayload(compensationPayload({ resolve }))).toEqual({
      ok: true,
      form: 'resolve',
      resolve,
    });
  });

  it('refuses a resolve form without the order, naming the field', () => {
    const read = compensationFromPayload({ resolve: { writeDeliveryId: 'dlv_w', writeUpstreamKey: 'k' } });
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toMatch(/not a compensation request \(resolve\.order/);
  });

  it.each([
    ['an unknown method', { method: 'GET', path: '/inventory/stock/x', undoneStatuses: [200] }, 'method'],
    ['a dot segment', { method: 'DELETE', path: '/crm/activities/..', undoneStatuses: [204] }, 'path'],
    ['a query', { method: 'DELETE', path: '/crm/activities/a?x=1', undoneStatuses: [204] }, 'path'],
    ['an empty segment', { method: 'DELETE', path: '/crm//activities', undoneStatuses: [204] }, 'path'],
    [
      'a 5xx called undone',
      { method: 'DELETE', path: '/crm/activities/a', undoneStatuses: [503] },
      'undoneStatuses',
    ],
    [
      'no undone status',
      { method: 'DELETE', path: '/crm/activities/a', undoneStatuses: [] },
      'undoneStatuses',
    ],
    ['an order instead', { orderId: 'o', customerId: 'c', items: [] }, 'method'],
  ])('refuses %s, naming the field', (_, payload, field) => {
    const read = compensationFromPayload(payload);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toMatch(new RegExp(`not a compensation request \\(${field}`));
  });
});

describe('compensationDelivery', () => {
  it("derives the key from the write's key and the id from the key, so enqueueing twice finds the first", () => {
    const request = { method: 'DELETE' as const, path: '/crm/activities/act_1', undoneStatuses: [204] };
    const input = { orderId: 'o-1', target: 'crm', writeUpstreamKey: 'fgw_write', request };
    const delivery = compensationDelivery(input);
    const upstreamKey = compensationIdempotencyKey('fgw_write');
    expect(delivery).toMatchObject({
      kind: 'compensation',
      orderId: 'o-1',
      target: 'crm',
      upstreamKey,
      payload: request,
      id: `dlv_${createHash('sha256').update(`compensation:${upstreamKey}`).digest('base64url')}`,
    });
    expect(compensationDelivery(input).id).toBe(delivery.id);
    expect(compensationDelivery({ ...input, writeUpstreamKey: 'fgw_other' }).id).not.toBe(delivery.id);
  });
});
