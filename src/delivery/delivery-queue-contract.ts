// The DeliveryQueue contract as vitest cases: every implementation (SQLite, Redis) must pass all of them.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimedDelivery, DeliveryQueue, DeliveryUpdate, NewDelivery } from './delivery-queue.js';
import { registerClaimedEnqueueContract } from './delivery-queue-claimed-enqueue-contract.js';
import { LEASE_EXPIRED_FAILURE } from './lease-expired-failure.js';
import { newTestDelivery } from './new-test-delivery.js';

export { newTestDelivery };

/** Fresh, empty storage for one test; each `open()` is another instance on it (another process's view). */
export interface DeliveryQueueContractStorage {
  open(): Promise<DeliveryQueue>;
  /** Removes the storage; called after every queue opened on it was closed. */
  dispose(): Promise<void>;
}

const LEASE_MS = 30_000;

/**
 * Registers the contract cases under `describe(name)`. Cases that need time to pass hand `now` to
 * `claimDue`/`stats` instead of sleeping; the queue's own clock must be the wall clock (Date.now).
 */
export function registerDeliveryQueueContract(
  name: string,
  createStorage: () => Promise<DeliveryQueueContractStorage>,
): void {
  describe(name, () => {
    let storage: DeliveryQueueContractStorage | undefined;
    const opened: DeliveryQueue[] = [];
    const open = async () => {
      storage ??= await createStorage();
      const queue = await storage.open();
      opened.push(queue);
      return queue;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((queue) => queue.close()));
      await storage?.dispose();
      storage = undefined;
    });

    const enqueueOne = async (queue: DeliveryQueue, overrides: Partial<NewDelivery> = {}) => {
      const [enqueued] = await queue.enqueue([newTestDelivery(overrides)]);
      if (!enqueued) throw new Error('enqueue returned nothing');
      return enqueued.delivery;
    };
    const claimOne = async (queue: DeliveryQueue, target = 'crm', now = Date.now() + 1) => {
      const [claimed] = await queue.claimDue(target, 1, LEASE_MS, now);
      if (!claimed) throw new Error('nothing was due');
      return claimed;
    };

    it('persists an enqueued delivery as QUEUED, due now, readable from another instance', async () => {
      const queue = await open();
      const input = newTestDelivery({
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      });
      const before = Date.now();
      const [enqueued] = await queue.enqueue([input]);
      expect(enqueued?.created).toBe(true);
      const stored = await (await open()).get(input.id);
      expect(stored).toMatchObject({
        id: input.id,
        kind: 'write',
        orderId: input.orderId,
        target: 'crm',
        upstreamKey: input.upstreamKey,
        payload: input.payload,
        traceparent: input.traceparent,
        clientId: null,
        state: 'QUEUED',
        attempts: 0,
        lastFailure: null,
        result: null,
        deliveredAt: null,
      });
      expect(stored?.createdAt).toBeGreaterThanOrEqual(before);
      expect(stored?.nextAttemptAt).toBe(stored?.createdAt);
    });

    it('is idempotent by id: re-enqueueing changes nothing and returns the stored delivery', async () => {
      const queue = await open();
      const first = newTestDelivery();
      const other = newTestDelivery();
      await queue.enqueue([first]);
      const again = await queue.enqueue([
        { ...first, payload: { changed: true }, target: 'inventory' },
        other,
        other,
      ]);
      expect(again.map((result) => result.created)).toEqual([false, true, false]);
      expect(again[0]?.delivery).toMatchObject({ payload: first.payload, target: 'crm' });
      const page = await queue.list({}, { first: 10 });
      expect(page.items.map((item) => item.delivery.id)).toEqual([first.id, other.id]);
    });

    it('keeps attempts, due time and failure a SYNC_OR_QUEUE caller hands over', async () => {
      const queue = await open();
      const due = Date.now() + 5000;
      const delivery = await enqueueOne(queue, { attempts: 2, nextAttemptAt: due, lastFailure: 'HTTP 503' });
      expect(delivery).toMatchObject({ attempts: 2, nextAttemptAt: due, lastFailure: 'HTTP 503' });
      expect(await queue.claimDue('crm', 10, LEASE_MS, due - 1)).toEqual([]);
      expect(await queue.claimDue('crm', 10, LEASE_MS, due)).toHaveLength(1);
    });

    it('rejects a malformed delivery as INVALID_ARGUMENT and writes none of the batch', async () => {
      const queue = await open();
      const good = newTestDelivery();
      await expect(queue.enqueue([good, { ...newTestDelivery(), id: '' }])).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      expect(await queue.get(good.id)).toBeUndefined();
    });

    it('claims due deliveries of one target, oldest due first, up to the limit, under a lease', async () => {
      const queue = await open();
      const now = Date.now();
      const late = await enqueueOne(queue, { nextAttemptAt: now - 1000 });
      const early = await enqueueOne(queue, { nextAttemptAt: now - 3000 });
      const middle = await enqueueOne(queue, { nextAttemptAt: now - 2000 });
      await enqueueOne(queue, { nextAttemptAt: now + 60_000 });
      await enqueueOne(queue, { target: 'inventory', nextAttemptAt: now - 9000 });
      const claimed = await queue.claimDue('crm', 2, LEASE_MS, now);
      expect(claimed.map((c) => c.delivery.id)).toEqual([early.id, middle.id]);
      for (const { delivery, claim } of claimed) {
        expect(delivery).toMatchObject({ state: 'IN_FLIGHT', leaseExpiresAt: now + LEASE_MS });
        expect(claim.leaseExpiresAt).toBe(now + LEASE_MS);
        expect((await queue.get(delivery.id))?.state).toBe('IN_FLIGHT');
      }
      expect((await queue.claimDue('crm', 10, LEASE_MS, now)).map((c) => c.delivery.id)).toEqual([late.id]);
      expect(await queue.claimDue('crm', 10, LEASE_MS, now)).toEqual([]);
    });

    it('never gives one delivery to two instances claiming at the same time', async () => {
      const [a, b] = [await open(), await open()];
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const batch = Array.from({ length: 20 }, () => newTestDelivery());
        await a.enqueue(batch);
        for (const delivery of batch) ids.add(delivery.id);
      }
      const drain = async (queue: DeliveryQueue) => {
        const mine: string[] = [];
        for (;;) {
          const claimed = await queue.claimDue('crm', 7, LEASE_MS);
          if (claimed.length === 0) return mine;
          mine.push(...claimed.map((c) => c.delivery.id));
        }
      };
      const [fromA, fromB] = await Promise.all([drain(a), drain(b)]);
      const all = [...fromA, ...fromB];
      expect(new Set(all).size).toBe(all.length);
      expect(new Set(all)).toEqual(ids);
    });

    it('counts a lease expiry as one attempt, records why, and hands the delivery out under a new claim', async () => {
      const queue = await open();
      const delivery = await enqueueOne(queue);
      const now = Date.now() + 1;
      const [first] = await queue.claimDue('crm', 1, 1000, now);
      expect(await queue.claimDue('crm', 1, 1000, now + 999)).toEqual([]);
      const other = await open();
      const updates: DeliveryUpdate[] = [];
      other.onUpdate((update) => updates.push(update));
      const [second] = await other.claimDue('crm', 1, 1000, now + 1000);
      const expired = { attempts: 1, lastFailure: LEASE_EXPIRED_FAILURE };
      expect(second?.delivery).toMatchObject({ id: delivery.id, state: 'IN_FLIGHT', ...expired });
      expect(second?.claim.token).not.toBe(first?.claim.token);
      // Reported as today: IN_FLIGHT → QUEUED, due at once, leaving a claimable delivery.
      expect(updates.filter((u) => u.previousState === 'IN_FLIGHT')).toMatchObject([
        { delivery: { id: delivery.id, state: 'QUEUED', nextAttemptAt: delivery.nextAttemptAt, ...expired } },
      ]);
      const [third] = await other.claimDue('crm', 1, 1000, now + 2000);
      expect(third?.delivery).toMatchObject({ attempts: 2, lastFailure: LEASE_EXPIRED_FAILURE });
      if (!third) throw new Error('the second expiry did not queue it again');
      expect(await other.retryLater(delivery.id, third.claim, 'HTTP 503', now)).toMatchObject({
        delivery: { state: 'QUEUED', attempts: 3, lastFailure: 'HTTP 503' },
      });
    });

    it('counts a lease expiry after a postpone, while the postpone itself counts nothing', async () => {
      const queue = await open();
      const delivery = await enqueueOne(queue);
      const now = Date.now() + 1;
      const first = await claimOne(queue, 'crm', now);
      expect(await queue.postpone(delivery.id, first.claim, now)).toMatchObject({
        delivery: { state: 'QUEUED', attempts: 0, lastFailure: null },
      });
      await claimOne(queue, 'crm', now);
      const [again] = await queue.claimDue('crm', 1, LEASE_MS, now + LEASE_MS);
      expect(again?.delivery).toMatchObject({ attempts: 1, lastFailure: LEASE_EXPIRED_FAILURE });
    });

    it("keeps a stale worker from overwriting the new owner's result", async () => {
      const queue = await open();
      const delivery = await enqueueOne(queue);
      const now = Date.now() + 1;
      const stale = await claimOne(queue, 'crm', now);
      const fresh = await claimOne(queue, 'crm', now + LEASE_MS);
      const lateCalls = [
        () => queue.complete(delivery.id, stale.claim, { activityId: 'old' }),
        () => queue.retryLater(delivery.id, stale.claim, 'HTTP 503', now),
        () => queue.postpone(delivery.id, stale.claim, now),
        () => queue.kill(delivery.id, stale.claim, 'HTTP 422'),
        () => queue.extendLease(delivery.id, stale.claim, LEASE_MS),
      ];
      // While the new owner holds it, and after it settled: the stale claim changes nothing either time.
      for (const late of lateCalls)
        expect(await late()).toMatchObject({ outcome: 'stale-claim', delivery: { state: 'IN_FLIGHT' } });
      expect(await queue.complete(delivery.id, fresh.claim, { activityId: 'new' })).toMatchObject({
        outcome: 'updated',
      });
      for (const late of lateCalls)
        expect(await late()).toMatchObject({ outcome: 'stale-claim', delivery: { state: 'DELIVERED' } });
      // Two attempts: the stale worker's, counted when its lease expired, and the new owner's.
      expect(await queue.get(delivery.id)).toMatchObject({ result: { activityId: 'new' }, attempts: 2 });
      expect(await queue.complete('no-such-delivery', fresh.claim, {})).toEqual({ outcome: 'not-found' });
    });

    it('counts an attempt on retryLater, not on postpone, and claims each again once due', async () => {
      const queue = await open();
      const delivery = await enqueueOne(queue);
      const t = Date.now() + 1;
      const first = await claimOne(queue, 'crm', t);
      const retried = await queue.retryLater(
        delivery.id,
        first.claim,
        'HTTP 503 Service Unavailable',
        t + 5000,
      );
      expect(retried).toMatchObject({
        outcome: 'updated',
        delivery: {
          state: 'QUEUED',
          attempts: 1,
          nextAttemptAt: t + 5000,
          lastFailure: 'HTTP 503 Service Unavailable',
        },
      });
      expect(await queue.claimDue('crm', 1, LEASE_MS, t + 4999)).toEqual([]);
      const second = await claimOne(queue, 'crm', t + 5000);
      const postponed = await queue.postpone(delivery.id, second.claim, t + 9000);
      expect(postponed).toMatchObject({
        delivery: { state: 'QUEUED', attempts: 1, nextAttemptAt: t + 9000 },
      });
      expect(await queue.claimDue('crm', 1, LEASE_MS, t + 8999)).toEqual([]);
      expect(await queue.claimDue('crm', 1, LEASE_MS, t + 9000)).toHaveLength(1);
    });

    it('records a delivery as DELIVERED with its result, or DEAD with its failure, counting the attempt', async () => {
      const queue = await open();
      const ok = await enqueueOne(queue, { nextAttemptAt: Date.now() - 2 });
      const bad = await enqueueOne(queue, { nextAttemptAt: Date.now() - 1 });
      const [claimOk, claimBad] = await queue.claimDue('crm', 2, LEASE_MS);
      if (!claimOk || !claimBad) throw new Error('expected two claims');
      const before = Date.now();
      const done = await queue.complete(ok.id, claimOk.claim, { activityId: 'act-1', replayed: false });
      expect(done).toMatchObject({
        outcome: 'updated',
        delivery: { state: 'DELIVERED', attempts: 1, result: { activityId: 'act-1' }, nextAttemptAt: null },
      });
      if (done.outcome !== 'updated') throw new Error('not updated');
      expect(done.delivery.deliveredAt).toBeGreaterThanOrEqual(before);
      expect(await queue.kill(bad.id, claimBad.claim, 'HTTP 422 INVALID_SKU')).toMatchObject({
        delivery: { state: 'DEAD', attempts: 1, lastFailure: 'HTTP 422 INVALID_SKU', nextAttemptAt: null },
      });
      expect(await queue.claimDue('crm', 10, LEASE_MS, Date.now() + LEASE_MS * 2)).toEqual([]);
    });

    it('replays DEAD and CANCELLED deliveries with attempts and upstream key kept, and refuses others', async () => {
      const queue = await open();
      const dead = await makeDead(queue);
      const replayed = await queue.replay(dead.id);
      expect(replayed).toMatchObject({
        outcome: 'updated',
        delivery: { state: 'QUEUED', attempts: 1, upstreamKey: dead.upstreamKey, lastFailure: 'HTTP 422' },
      });
      if (replayed.outcome !== 'updated') throw new Error('not replayed');
      expect(replayed.delivery.nextAttemptAt).toBeLessThanOrEqual(Date.now());
      expect(await queue.replay(dead.id)).toMatchObject({
        outcome: 'refused',
        reason: expect.stringMatching(/QUEUED/),
      });
      const cancelled = await enqueueOne(queue);
      await queue.cancel(cancelled.id);
      expect(await queue.replay(cancelled.id)).toMatchObject({
        outcome: 'updated',
        delivery: { state: 'QUEUED' },
      });
      expect(await queue.replay('no-such-delivery')).toEqual({ outcome: 'not-found' });
      const claimed = await claimOne(queue);
      expect(await queue.replay(claimed.delivery.id)).toMatchObject({ outcome: 'refused' });
    });

    it('replays every DEAD or CANCELLED delivery matching a filter, and only those', async () => {
      const queue = await open();
      const deadCrm = [await makeDead(queue), await makeDead(queue)];
      const deadInventory = await makeDead(queue, 'inventory');
      const cancelled = await enqueueOne(queue);
      await queue.cancel(cancelled.id);
      const queued = await enqueueOne(queue, { nextAttemptAt: Date.now() + 60_000 });
      expect(await queue.replayMatching({ target: 'crm', state: 'DEAD' })).toBe(2);
      for (const { id } of deadCrm) expect((await queue.get(id))?.state).toBe('QUEUED');
      expect((await queue.get(deadInventory.id))?.state).toBe('DEAD');
      expect((await queue.get(cancelled.id))?.state).toBe('CANCELLED');
      expect(await queue.replayMatching({ target: 'crm' })).toBe(1);
      expect(await queue.get(queued.id)).toMatchObject({
        state: 'QUEUED',
        nextAttemptAt: queued.nextAttemptAt,
      });
      expect(await queue.replayMatching({ orderId: deadInventory.orderId })).toBe(1);
      expect(await queue.replayMatching({})).toBe(0);
    });

    it('cancels QUEUED and DEAD deliveries, refuses DELIVERED, and ends an IN_FLIGHT one after its attempt', async () => {
      const queue = await open();
      const queued = await enqueueOne(queue, { nextAttemptAt: Date.now() + 60_000 });
      expect(await queue.cancel(queued.id)).toMatchObject({
        outcome: 'updated',
        delivery: { state: 'CANCELLED' },
      });
      expect(await queue.cancel(queued.id)).toMatchObject({ outcome: 'refused' });
      const dead = await makeDead(queue);
      expect(await queue.cancel(dead.id)).toMatchObject({
        delivery: { state: 'CANCELLED', lastFailure: 'HTTP 422' },
      });

      await enqueueOne(queue);
      const retried = await claimOne(queue, 'crm', Date.now());
      expect(await queue.cancel(retried.delivery.id)).toMatchObject({
        outcome: 'cancel-requested',
        delivery: { state: 'IN_FLIGHT', cancelRequested: true },
      });
      const afterRetry = await queue.retryLater(retried.delivery.id, retried.claim, 'HTTP 503', Date.now());
      expect(afterRetry).toMatchObject({
        delivery: { state: 'CANCELLED', attempts: 1, nextAttemptAt: null },
      });

      const delivered = await enqueueOne(queue);
      const claim = await claimOne(queue);
      await queue.cancel(delivered.id);
      expect(await queue.complete(claim.delivery.id, claim.claim, { ok: true })).toMatchObject({
        delivery: { state: 'DELIVERED', cancelRequested: false },
      });
      expect(await queue.cancel(delivered.id)).toMatchObject({
        outcome: 'refused',
        reason: expect.stringMatching(/DELIVERED/),
      });
      expect(await queue.cancel('no-such-delivery')).toEqual({ outcome: 'not-found' });
    });

    it('cancels an IN_FLIGHT delivery whose lease expires instead of queueing it again', async () => {
      const queue = await open();
      const delivery = await enqueueOne(queue);
      const now = Date.now() + 1;
      await claimOne(queue, 'crm', now);
      await queue.cancel(delivery.id);
      expect(await queue.claimDue('crm', 1, LEASE_MS, now + LEASE_MS)).toEqual([]);
      expect(await queue.get(delivery.id)).toMatchObject({
        state: 'CANCELLED',
        cancelRequested: false,
        attempts: 1,
        lastFailure: LEASE_EXPIRED_FAILURE,
        nextAttemptAt: null,
      });
    });

    it('pages with an opaque cursor in enqueue order, without gaps or repeats while rows are added', async () => {
      const queue = await open();
      const expected: string[] = [];
      const add = async (count: number) => {
        const batch = Array.from({ length: count }, () => newTestDelivery());
        await queue.enqueue(batch);
        expected.push(...batch.map((delivery) => delivery.id));
      };
      await add(25);
      const seen: string[] = [];
      let after: string | undefined;
      for (let pageNumber = 0; ; pageNumber++) {
        const page = await queue.list({}, { first: 10, after });
        seen.push(...page.items.map((item) => item.delivery.id));
        expect(page.endCursor).toBe(page.items.at(-1)?.cursor ?? null);
        if (pageNumber < 2) await add(5);
        if (!page.hasNextPage) break;
        after = page.endCursor ?? undefined;
      }
      expect(seen).toEqual(expected);
      expect(seen).toHaveLength(35);
    });

    it('filters the list by state, target, order, kind and creation time', async () => {
      const queue = await open();
      const crm = await enqueueOne(queue);
      const inventory = await enqueueOne(queue, { target: 'inventory', orderId: crm.orderId });
      const compensation = await enqueueOne(queue, { kind: 'compensation' });
      const dead = await makeDead(queue);
      const ids = async (filter: Parameters<DeliveryQueue['list']>[0]) =>
        (await queue.list(filter, { first: 100 })).items.map((item) => item.delivery.id);
      expect(await ids({ target: 'inventory' })).toEqual([inventory.id]);
      expect(await ids({ orderId: crm.orderId })).toEqual([crm.id, inventory.id]);
      expect(await ids({ kind: 'compensation' })).toEqual([compensation.id]);
      expect(await ids({ state: 'DEAD' })).toEqual([dead.id]);
      expect(await ids({ state: 'DEAD', target: 'inventory' })).toEqual([]);
      expect(await ids({ createdAfter: dead.createdAt })).toContain(dead.id);
      expect(await ids({ createdBefore: crm.createdAt })).toEqual([]);
      expect(await ids({ createdAfter: crm.createdAt, createdBefore: Date.now() + 1 })).toHaveLength(4);
    });

    it('rejects a forged cursor and an out-of-range page size as INVALID_ARGUMENT', async () => {
      const queue = await open();
      for (const page of [
        { first: 10, after: 'not-a-cursor' },
        { first: 10, after: "1' OR 1=1" },
        { first: 0 },
      ])
        await expect(queue.list({}, page)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(queue.list({}, { first: 100_000 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });

    it('prunes DELIVERED and CANCELLED deliveries past the retention and keeps DEAD and waiting ones', async () => {
      const queue = await open();
      const delivered = await enqueueOne(queue);
      const claim = await claimOne(queue);
      await queue.complete(delivered.id, claim.claim, {});
      const dead = await makeDead(queue);
      const cancelled = await enqueueOne(queue);
      await queue.cancel(cancelled.id);
      const waiting = await enqueueOne(queue, { nextAttemptAt: Date.now() + 60_000 });
      const deliveredAt = (await queue.get(delivered.id))?.deliveredAt ?? 0;
      expect(await queue.prune(deliveredAt)).toBe(0);
      expect(await queue.prune(Date.now() + 1)).toBe(2);
      expect(await queue.get(delivered.id)).toBeUndefined();
      expect(await queue.get(cancelled.id)).toBeUndefined();
      expect((await queue.get(dead.id))?.state).toBe('DEAD');
      expect((await queue.get(waiting.id))?.state).toBe('QUEUED');
    });

    it('counts deliveries by target and state and reports the queue lag', async () => {
      const queue = await open();
      const now = Date.now();
      await enqueueOne(queue, { nextAttemptAt: now - 5000 });
      await enqueueOne(queue, { nextAttemptAt: now - 1000 });
      await enqueueOne(queue, { nextAttemptAt: now + 60_000 });
      await enqueueOne(queue, { target: 'inventory', nextAttemptAt: now + 60_000 });
      await makeDead(queue, 'inventory');
      const stats = await queue.stats(now);
      expect(stats.lagMs).toBe(5000);
      expect(stats.targets).toEqual([
        {
          target: 'crm',
          counts: { QUEUED: 3, IN_FLIGHT: 0, DELIVERED: 0, DEAD: 0, CANCELLED: 0 },
          oldestDueAt: now - 5000,
          lagMs: 5000,
        },
        {
          target: 'inventory',
          counts: { QUEUED: 1, IN_FLIGHT: 0, DELIVERED: 0, DEAD: 1, CANCELLED: 0 },
          oldestDueAt: null,
          lagMs: 0,
        },
      ]);
      expect((await queue.stats(now - 10_000)).lagMs).toBe(0);
    });

    it('tells listeners about every state change after it is committed, until they unsubscribe', async () => {
      const queue = await open();
      const updates: DeliveryUpdate[] = [];
      const unsubscribe = queue.onUpdate((update) => updates.push(update));
      const stopBroken = queue.onUpdate(() => {
        stopBroken();
        throw new Error('a broken subscriber');
      });
      const delivery = await enqueueOne(queue);
      const first = await claimOne(queue);
      await queue.retryLater(delivery.id, first.claim, 'HTTP 503', Date.now());
      const second = await claimOne(queue);
      await queue.complete(delivery.id, second.claim, { ok: true });
      const transitions = updates.map((u) => `${u.previousState ?? 'new'}>${u.delivery.state}`);
      expect(transitions).toEqual([
        'new>QUEUED',
        'QUEUED>IN_FLIGHT',
        'IN_FLIGHT>QUEUED',
        'QUEUED>IN_FLIGHT',
        'IN_FLIGHT>DELIVERED',
      ]);
      expect(updates.every((u) => u.delivery.id === delivery.id)).toBe(true);
      unsubscribe();
      await makeDead(queue);
      expect(updates).toHaveLength(5);
    });

    it('answers ping while open and rejects every call with CLOSED after close', async () => {
      const queue = await open();
      await expect(queue.ping()).resolves.toBeUndefined();
      await queue.close();
      await queue.close();
      await expect(queue.enqueue([newTestDelivery()])).rejects.toMatchObject({ code: 'CLOSED' });
      await expect(queue.claimDue('crm', 1, LEASE_MS)).rejects.toMatchObject({ code: 'CLOSED' });
      await expect(queue.ping()).rejects.toMatchObject({ code: 'CLOSED' });
    });

    describe('enqueue with claimForMs', () => registerClaimedEnqueueContract(open));

    /** Private: a delivery taken to DEAD by one attempt that failed for good. */
    async function makeDead(queue: DeliveryQueue, target = 'crm') {
      const delivery = await enqueueOne(queue, { target, nextAttemptAt: Date.now() - 60_000 });
      const claimed: ClaimedDelivery[] = await queue.claimDue(target, 1, LEASE_MS, Date.now());
      const mine = claimed.find((c) => c.delivery.id === delivery.id);
      if (!mine) throw new Error('the delivery to kill was not claimed first');
      const killed = await queue.kill(delivery.id, mine.claim, 'HTTP 422');
      if (killed.outcome !== 'updated') throw new Error('kill did not apply');
      return killed.delivery;
    }
  });
}
