// The DeliveryQueue contract for `enqueue` with `claimForMs` (created IN_FLIGHT under the caller's claim), as vitest cases.
import { expect, it } from 'vitest';
import type { DeliveryClaim, DeliveryQueue, DeliveryUpdate, NewDelivery } from './delivery-queue.js';
import { LEASE_EXPIRED_FAILURE } from './lease-expired-failure.js';
import { MAX_LEASE_MS } from './new-delivery-input.js';
import { newTestDelivery } from './new-test-delivery.js';

const LEASE_MS = 30_000;

/**
 * Registers the cases in the caller's `describe`; `open` gives a queue on the test's fresh storage (each
 * call another instance on it), closed and disposed by the caller.
 */
export function registerClaimedEnqueueContract(open: () => Promise<DeliveryQueue>): void {
  /** Private: enqueues one delivery created claimed and returns it with its claim. */
  const enqueueClaimed = async (queue: DeliveryQueue, overrides: Partial<NewDelivery> = {}) => {
    const [enqueued] = await queue.enqueue([newTestDelivery({ claimForMs: LEASE_MS, ...overrides })]);
    if (!enqueued?.claim) throw new Error('enqueue with claimForMs returned no claim');
    return { delivery: enqueued.delivery, claim: enqueued.claim };
  };

  it('creates a delivery with claimForMs IN_FLIGHT under its own lease, as claimDue would leave it', async () => {
    const queue = await open();
    const [enqueued] = await queue.enqueue([newTestDelivery({ claimForMs: LEASE_MS })]);
    if (!enqueued?.claim) throw new Error('no claim returned');
    const { delivery, claim } = enqueued;
    expect(enqueued.created).toBe(true);
    expect(claim.leaseExpiresAt).toBe(delivery.createdAt + LEASE_MS);
    expect(delivery).toMatchObject({
      state: 'IN_FLIGHT',
      attempts: 0,
      nextAttemptAt: delivery.createdAt,
      leaseExpiresAt: claim.leaseExpiresAt,
      cancelRequested: false,
    });
    expect(await (await open()).get(delivery.id)).toEqual(delivery);
    const listed = await queue.list({ state: 'IN_FLIGHT' }, { first: 10 });
    expect(listed.items.map((item) => item.delivery)).toEqual([delivery]);
    expect((await queue.stats(delivery.createdAt)).targets).toEqual([
      expect.objectContaining({
        target: 'crm',
        counts: { QUEUED: 0, IN_FLIGHT: 1, DELIVERED: 0, DEAD: 0, CANCELLED: 0 },
      }),
    ]);
    expect(await queue.claimDue('crm', 10, LEASE_MS, claim.leaseExpiresAt - 1)).toEqual([]);
  });

  it('keeps the attempts and due time a claimed delivery is created with', async () => {
    const queue = await open();
    const due = Date.now() - 5000;
    const { delivery } = await enqueueClaimed(queue, {
      attempts: 2,
      nextAttemptAt: due,
      lastFailure: 'HTTP 503',
    });
    expect(delivery).toMatchObject({
      state: 'IN_FLIGHT',
      attempts: 2,
      nextAttemptAt: due,
      lastFailure: 'HTTP 503',
    });
  });

  it('settles a delivery claimed at creation with its claim: extendLease, complete, retryLater, postpone, kill', async () => {
    const queue = await open();
    const delivered = await enqueueClaimed(queue);
    const extended = await queue.extendLease(delivered.delivery.id, delivered.claim, LEASE_MS * 2);
    expect(extended).toMatchObject({ outcome: 'updated', delivery: { state: 'IN_FLIGHT' } });
    expect(
      await queue.complete(delivered.delivery.id, delivered.claim, { activityId: 'act-1' }),
    ).toMatchObject({
      outcome: 'updated',
      delivery: { state: 'DELIVERED', attempts: 1, result: { activityId: 'act-1' }, leaseExpiresAt: null },
    });

    const retried = await enqueueClaimed(queue);
    const at = Date.now() + 5000;
    expect(await queue.retryLater(retried.delivery.id, retried.claim, 'HTTP 503', at)).toMatchObject({
      outcome: 'updated',
      delivery: { state: 'QUEUED', attempts: 1, nextAttemptAt: at, lastFailure: 'HTTP 503' },
    });
    expect(await queue.claimDue('crm', 10, LEASE_MS, at - 1)).toEqual([]);
    const [again] = await queue.claimDue('crm', 10, LEASE_MS, at);
    expect(again?.delivery).toMatchObject({ id: retried.delivery.id, attempts: 1 });

    const postponed = await enqueueClaimed(queue);
    expect(await queue.postpone(postponed.delivery.id, postponed.claim, at + 1000)).toMatchObject({
      delivery: { state: 'QUEUED', attempts: 0, nextAttemptAt: at + 1000 },
    });

    const dead = await enqueueClaimed(queue);
    expect(await queue.kill(dead.delivery.id, dead.claim, 'HTTP 422')).toMatchObject({
      delivery: { state: 'DEAD', attempts: 1, lastFailure: 'HTTP 422', nextAttemptAt: null },
    });
  });

  it('ends a claimed-at-creation delivery CANCELLED after its attempt when cancel was asked meanwhile', async () => {
    const queue = await open();
    const { delivery, claim } = await enqueueClaimed(queue);
    expect(await queue.cancel(delivery.id)).toMatchObject({
      outcome: 'cancel-requested',
      delivery: { state: 'IN_FLIGHT', cancelRequested: true },
    });
    expect(await queue.retryLater(delivery.id, claim, 'HTTP 503', Date.now())).toMatchObject({
      delivery: { state: 'CANCELLED', attempts: 1, nextAttemptAt: null },
    });
  });

  it("answers stale-claim for a wrong token, including another claimed delivery's, and changes nothing", async () => {
    const queue = await open();
    const [first, second] = await queue.enqueue([
      newTestDelivery({ claimForMs: LEASE_MS }),
      newTestDelivery({ claimForMs: LEASE_MS }),
    ]);
    if (!first?.claim || !second?.claim) throw new Error('expected two claims');
    expect(first.claim.token).not.toBe(second.claim.token);
    const forged: DeliveryClaim = { token: 'not-the-token', leaseExpiresAt: first.claim.leaseExpiresAt };
    for (const claim of [forged, second.claim])
      expect(await queue.complete(first.delivery.id, claim, {})).toMatchObject({
        outcome: 'stale-claim',
        delivery: { state: 'IN_FLIGHT', attempts: 0 },
      });
    expect(await queue.kill(first.delivery.id, forged, 'HTTP 422')).toMatchObject({ outcome: 'stale-claim' });
    expect(await queue.get(first.delivery.id)).toEqual(first.delivery);
  });

  it('returns a claimed-at-creation delivery whose lease expired to the next claimDue, the expiry counted', async () => {
    const queue = await open();
    const { delivery, claim } = await enqueueClaimed(queue, { claimForMs: 1000 });
    expect(claim.leaseExpiresAt).toBe(delivery.createdAt + 1000);
    expect(await queue.claimDue('crm', 1, LEASE_MS, claim.leaseExpiresAt - 1)).toEqual([]);
    const [taken] = await (await open()).claimDue('crm', 1, LEASE_MS, claim.leaseExpiresAt);
    expect(taken?.delivery).toMatchObject({
      id: delivery.id,
      state: 'IN_FLIGHT',
      attempts: 1,
      lastFailure: LEASE_EXPIRED_FAILURE,
    });
    expect(taken?.claim.token).not.toBe(claim.token);
    expect(await queue.complete(delivery.id, claim, {})).toMatchObject({ outcome: 'stale-claim' });
  });

  it('gives no claim for an id that exists already and leaves that delivery unchanged', async () => {
    const queue = await open();
    const queued = newTestDelivery();
    const [stored] = await queue.enqueue([queued]);
    const [again] = await queue.enqueue([{ ...queued, claimForMs: LEASE_MS }]);
    expect(again).toEqual({ delivery: stored?.delivery, created: false });

    const claimed = newTestDelivery({ claimForMs: LEASE_MS });
    const [first, repeat] = await queue.enqueue([claimed, { ...claimed, claimForMs: 5000 }]);
    expect(first?.claim).toBeDefined();
    expect(repeat).toEqual({ delivery: first?.delivery, created: false });
    const [later] = await queue.enqueue([claimed]);
    expect(later).toEqual({ delivery: first?.delivery, created: false });
  });

  it('creates claimed and queued deliveries together in one enqueue, each claim its own', async () => {
    const queue = await open();
    const batch = [
      newTestDelivery({ claimForMs: LEASE_MS }),
      newTestDelivery(),
      newTestDelivery({ claimForMs: 1000 }),
    ];
    const results = await queue.enqueue(batch);
    expect(results.map((r) => [r.created, r.delivery.state, r.claim !== undefined])).toEqual([
      [true, 'IN_FLIGHT', true],
      [true, 'QUEUED', false],
      [true, 'IN_FLIGHT', true],
    ]);
    const createdAt = results[0]?.delivery.createdAt ?? 0;
    expect(results.map((r) => r.claim?.leaseExpiresAt)).toEqual([
      createdAt + LEASE_MS,
      undefined,
      createdAt + 1000,
    ]);
    const claimed = await queue.claimDue('crm', 10, LEASE_MS, createdAt + 1);
    expect(claimed.map((c) => c.delivery.id)).toEqual([batch[1]?.id]);
  });

  it('refuses an invalid claimForMs as INVALID_ARGUMENT and writes none of the batch', async () => {
    const queue = await open();
    for (const claimForMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_LEASE_MS + 1]) {
      const good = newTestDelivery({ claimForMs: LEASE_MS });
      await expect(queue.enqueue([good, newTestDelivery({ claimForMs })])).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('claimForMs'),
      });
      expect(await queue.get(good.id)).toBeUndefined();
    }
    const [longest] = await queue.enqueue([newTestDelivery({ claimForMs: MAX_LEASE_MS })]);
    expect(longest?.delivery.state).toBe('IN_FLIGHT');
  });

  it('tells listeners a claimed delivery was created IN_FLIGHT (previousState null), then settled', async () => {
    const queue = await open();
    const updates: DeliveryUpdate[] = [];
    queue.onUpdate((update) => updates.push(update));
    const { delivery, claim } = await enqueueClaimed(queue);
    expect(updates).toEqual([{ delivery, previousState: null }]);
    await queue.complete(delivery.id, claim, { ok: true });
    expect(updates.map((u) => `${u.previousState ?? 'new'}>${u.delivery.state}`)).toEqual([
      'new>IN_FLIGHT',
      'IN_FLIGHT>DELIVERED',
    ]);
  });
}
