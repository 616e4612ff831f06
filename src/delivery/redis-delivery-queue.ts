// The shared DeliveryQueue on Redis (DELIVERY_QUEUE=redis): many gateways and workers, one atomic Lua script per change.
//
// Why Lua scripts and not BullMQ's Worker: the contract judges due times and leases by a clock the caller
// may pass (`claimDue(target, limit, leaseMs, now)`), hands a delivery out only under a claim token with
// stale-claim answers, keeps CANCELLED deliveries and cancel-while-in-flight, and lists with a stable
// cursor and filters. BullMQ's delayed set and locks run on Redis time with key expiry, its stalled checker
// moves jobs on its own schedule, and it has no cancelled state or indexed listing, so mapping the contract
// onto it would be approximate. Each change here is one script (atomic; refused whole when Redis is out of
// memory), on the same ioredis client BullMQ uses. docs/delivery.md lists the keys.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { decodeDeliveryCursor, encodeDeliveryCursor } from './delivery-cursor.js';
import type {
  ClaimedDelivery,
  ClaimedUpdate,
  Delivery,
  DeliveryClaim,
  DeliveryFilter,
  DeliveryPage,
  DeliveryQueue,
  DeliveryState,
  DeliveryStats,
  DeliveryUpdate,
  EnqueuedDelivery,
  JsonValue,
  NewDelivery,
  OperatorUpdate,
  PageRequest,
} from './delivery-queue.js';
import { asDeliveryQueueError, DeliveryQueueError } from './delivery-queue-error.js';
import { buildDeliveryStats } from './delivery-stats.js';
import { LEASE_EXPIRED_FAILURE } from './lease-expired-failure.js';
import {
  requireEpochMs,
  requireLeaseMs,
  resultJson,
  validateClaim,
  validateFilter,
  validateNewDeliveries,
  validatePage,
} from './new-delivery-input.js';
import { runDeliveryScript } from './redis-connection.js';
import {
  type DeliveryNotice,
  type DeliveryRecord,
  deliveryFromRecord,
  listFromLua,
  seqOfRecord,
  updateFromNotice,
} from './redis-delivery-record.js';
import type { DeliveryScriptName } from './redis-lua-scripts.js';
import { createUpdateListeners } from './update-listeners.js';

export interface RedisDeliveryQueueParts {
  /** Fail-fast client for every call. */
  readonly redis: Redis;
  /** Subscriber client on the `updates` channel (other instances' changes). */
  readonly subscriber: Redis;
  /** `<keyPrefix>{deliveries}:` — one hash tag, so every key lives in one cluster slot. */
  readonly keyBase: string;
  readonly clock: () => number;
  readonly onListenerError?: ((error: unknown) => void) | undefined;
}

const CHUNK = 500;
/** Index entries one list script reads at most, so a sparse filter never blocks Redis for long. */
const LIST_SCAN_BUDGET = 2000;

type ScriptAnswer = { readonly n?: unknown } & Record<string, unknown>;
type SettleAction = 'extendLease' | 'complete' | 'retryLater' | 'postpone' | 'kill';

export class RedisDeliveryQueue implements DeliveryQueue {
  readonly #parts: RedisDeliveryQueueParts;
  readonly #instance = randomUUID();
  readonly #listeners: ReturnType<typeof createUpdateListeners>;
  #closed = false;

  constructor(parts: RedisDeliveryQueueParts) {
    this.#parts = parts;
    this.#listeners = createUpdateListeners(parts.onListenerError);
    parts.subscriber.on('message', (_channel: string, message: string) => this.#onRemoteNotice(message));
  }

  /** The pub/sub channel every instance's scripts publish their changes on. */
  get updatesChannel(): string {
    return `${this.#parts.keyBase}updates`;
  }

  async enqueue(deliveries: readonly NewDelivery[]): Promise<EnqueuedDelivery[]> {
    this.#assertOpen();
    validateNewDeliveries(deliveries);
    if (deliveries.length === 0) return [];
    const now = this.#parts.clock();
    // A claim per delivery asked to be created claimed; one whose id exists already is dropped unused.
    const claims = deliveries.map((d): DeliveryClaim | undefined =>
      d.claimForMs === undefined ? undefined : { token: randomUUID(), leaseExpiresAt: now + d.claimForMs },
    );
    const items = deliveries.map((d, i) => ({
      id: d.id,
      kind: d.kind,
      orderId: d.orderId,
      target: d.target,
      upstreamKey: d.upstreamKey,
      payload: JSON.stringify(d.payload),
      traceparent: d.traceparent,
      clientId: d.clientId,
      lastFailure: d.lastFailure,
      attempts: String(d.attempts ?? 0),
      nextAttemptAt: String(d.nextAttemptAt ?? now),
      token: claims[i]?.token,
      leaseExpiresAt: claims[i] && String(claims[i].leaseExpiresAt),
    }));
    const answer = await this.#run('deliveryEnqueue', 'enqueue', [now, JSON.stringify(items)]);
    return listFromLua<{ c: boolean; d: DeliveryRecord }>(answer.r).map((entry, i) => {
      const claim = entry.c ? claims[i] : undefined;
      return { delivery: deliveryFromRecord(entry.d), created: entry.c, ...(claim && { claim }) };
    });
  }

  async claimDue(
    target: string,
    limit: number,
    leaseMs: number,
    now = this.#parts.clock(),
  ): Promise<ClaimedDelivery[]> {
    this.#assertOpen();
    validateClaim(limit, leaseMs);
    requireEpochMs('now', now);
    const claim: DeliveryClaim = { token: randomUUID(), leaseExpiresAt: now + leaseMs };
    const answer = await this.#run('deliveryClaim', 'claim', [
      target,
      limit,
      now,
      claim.token,
      claim.leaseExpiresAt,
      LEASE_EXPIRED_FAILURE,
    ]);
    return listFromLua<DeliveryRecord>(answer.r).map((record) => ({
      delivery: deliveryFromRecord(record),
      claim,
    }));
  }

  async extendLease(id: string, claim: DeliveryClaim, leaseMs: number): Promise<ClaimedUpdate> {
    requireLeaseMs(leaseMs);
    return this.#settle('extendLease', id, claim, [this.#parts.clock() + leaseMs]);
  }

  async complete(id: string, claim: DeliveryClaim, result: JsonValue): Promise<ClaimedUpdate> {
    return this.#settle('complete', id, claim, [resultJson(result)]);
  }

  async retryLater(
    id: string,
    claim: DeliveryClaim,
    failure: string,
    nextAttemptAt: number,
  ): Promise<ClaimedUpdate> {
    requireEpochMs('nextAttemptAt', nextAttemptAt);
    return this.#settle('retryLater', id, claim, [failure, nextAttemptAt]);
  }

  async postpone(id: string, claim: DeliveryClaim, until: number): Promise<ClaimedUpdate> {
    requireEpochMs('until', until);
    return this.#settle('postpone', id, claim, [until]);
  }

  async kill(id: string, claim: DeliveryClaim, failure: string): Promise<ClaimedUpdate> {
    return this.#settle('kill', id, claim, [failure]);
  }

  /** Private: one claimed-side transition; the script applies it only while the claim holds. */
  async #settle(
    action: SettleAction,
    id: string,
    claim: DeliveryClaim,
    values: readonly (string | number)[],
  ): Promise<ClaimedUpdate> {
    this.#assertOpen();
    const [a = '', b = ''] = values;
    const now = this.#parts.clock();
    const answer = await this.#run('deliverySettle', action, [action, id, claim.token, now, a, b]);
    if (answer.o === 'not-found') return { outcome: 'not-found' };
    const delivery = deliveryFromRecord(answer.d as DeliveryRecord);
    return answer.o === 'updated' ? { outcome: 'updated', delivery } : { outcome: 'stale-claim', delivery };
  }

  async get(id: string): Promise<Delivery | undefined> {
    this.#assertOpen();
    const answer = await this.#run('deliveryGet', 'get', [id]);
    return answer.d ? deliveryFromRecord(answer.d as DeliveryRecord) : undefined;
  }

  async list(filter: DeliveryFilter, page: PageRequest): Promise<DeliveryPage> {
    this.#assertOpen();
    validateFilter(filter);
    validatePage(page);
    let after = page.after === undefined ? 0 : decodeDeliveryCursor(page.after);
    const found: DeliveryRecord[] = [];
    const filterJson = JSON.stringify({
      ...filter,
      createdAfter: filter.createdAfter?.toString(),
      createdBefore: filter.createdBefore?.toString(),
    });
    // One more than asked tells whether a next page exists; each script reads a bounded slice of the index.
    for (;;) {
      const want = page.first + 1 - found.length;
      const answer = await this.#run('deliveryList', 'list', [
        indexForFilter(filter),
        after,
        want,
        LIST_SCAN_BUDGET,
        filterJson,
      ]);
      found.push(...listFromLua<DeliveryRecord>(answer.r));
      if (found.length > page.first || answer.done === true) break;
      after = Number(answer.last);
    }
    const items = found.slice(0, page.first).map((record) => ({
      cursor: encodeDeliveryCursor(seqOfRecord(record)),
      delivery: deliveryFromRecord(record),
    }));
    return { items, endCursor: items.at(-1)?.cursor ?? null, hasNextPage: found.length > page.first };
  }

  async replay(id: string): Promise<OperatorUpdate> {
    return this.#operate('replay', id);
  }

  async cancel(id: string): Promise<OperatorUpdate> {
    return this.#operate('cancel', id);
  }

  /** Private: replay or cancel; the script decides by the state it reads, in the same atomic step. */
  async #operate(action: 'replay' | 'cancel', id: string): Promise<OperatorUpdate> {
    this.#assertOpen();
    const answer = await this.#run('deliveryOperate', action, [action, id, this.#parts.clock()]);
    if (answer.o === 'not-found') return { outcome: 'not-found' };
    const delivery = deliveryFromRecord(answer.d as DeliveryRecord);
    if (answer.o === 'updated') return { outcome: 'updated', delivery };
    if (answer.o === 'cancel-requested') return { outcome: 'cancel-requested', delivery };
    const reason =
      action === 'replay'
        ? `a ${delivery.state} delivery cannot be replayed: only DEAD or CANCELLED ones can`
        : `a ${delivery.state} delivery cannot be cancelled: only QUEUED, IN_FLIGHT or DEAD ones can`;
    return { outcome: 'refused', reason, delivery };
  }

  async replayMatching(filter: DeliveryFilter): Promise<number> {
    this.#assertOpen();
    validateFilter(filter);
    const replayable: DeliveryState[] = ['DEAD', 'CANCELLED'];
    const states = filter.state ? replayable.filter((state) => state === filter.state) : replayable;
    let total = 0;
    // Pages in seq order per state: a replayed delivery leaves the state's index, the cursor moves on.
    for (const state of states) {
      let after: string | undefined;
      for (;;) {
        const page = await this.list({ ...filter, state }, { first: CHUNK, after });
        const outcomes = await Promise.all(page.items.map((item) => this.replay(item.delivery.id)));
        total += outcomes.filter((outcome) => outcome.outcome === 'updated').length;
        if (!page.hasNextPage || page.endCursor === null) break;
        after = page.endCursor;
      }
    }
    return total;
  }

  async prune(before: number): Promise<number> {
    this.#assertOpen();
    requireEpochMs('before', before);
    let total = 0;
    for (;;) {
      this.#assertOpen();
      const answer = await this.#run('deliveryPrune', 'prune', [before, CHUNK]);
      const removed = Number(answer.r);
      total += removed;
      if (removed < CHUNK) return total;
    }
  }

  async stats(now = this.#parts.clock()): Promise<DeliveryStats> {
    this.#assertOpen();
    requireEpochMs('now', now);
    const answer = await this.#run('deliveryStats', 'stats', [now]);
    const targets = listFromLua<{ t: string; c: unknown; due: string | false }>(answer.r);
    const counts = targets.flatMap(({ t, c }) => {
      const flat = listFromLua<string>(c);
      return Array.from({ length: flat.length / 2 }, (_, i) => ({
        target: t,
        state: flat[i * 2] as DeliveryState,
        count: Number(flat[i * 2 + 1]),
      }));
    });
    // Counts drop to 0 when a target's deliveries are pruned; such a target is not reported.
    const live = new Set(counts.filter((entry) => entry.count > 0).map((entry) => entry.target));
    const oldestDue = targets.flatMap(({ t, due }) =>
      due === false ? [] : [{ target: t, dueAt: Number(due) }],
    );
    return buildDeliveryStats(
      counts.filter((entry) => live.has(entry.target)),
      oldestDue.filter((entry) => live.has(entry.target)),
      now,
    );
  }

  onUpdate(listener: (update: DeliveryUpdate) => void): () => void {
    return this.#listeners.add(listener);
  }

  async ping(): Promise<void> {
    this.#assertOpen();
    // A write, so a Redis that is read-only, out of memory (noeviction refuses writes) or paused fails it.
    try {
      await this.#parts.redis.set(`${this.#parts.keyBase}ping`, this.#instance, 'PX', 60_000);
    } catch (error) {
      throw asDeliveryQueueError(error, 'delivery queue ping failed');
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    await Promise.all([this.#parts.redis, this.#parts.subscriber].map(quitWithin));
  }

  /** Private: runs a script, emits the changes it committed to this instance's listeners, answers the rest. */
  async #run(
    script: DeliveryScriptName,
    what: string,
    args: readonly (string | number)[],
  ): Promise<ScriptAnswer> {
    const { redis, keyBase } = this.#parts;
    let answer: ScriptAnswer;
    try {
      answer = (await runDeliveryScript(redis, script, `${keyBase}seq`, [
        keyBase,
        this.#instance,
        ...args,
      ])) as ScriptAnswer;
    } catch (error) {
      throw asDeliveryQueueError(error, `delivery queue ${what} failed`);
    }
    const notices = listFromLua<DeliveryNotice>(answer.n);
    if (notices.length > 0) this.#listeners.emit(notices.map(updateFromNotice));
    return answer;
  }

  /** Private: another instance's change, published by its script; this instance's own were emitted already. */
  #onRemoteNotice(message: string): void {
    if (this.#closed) return;
    let notice: DeliveryNotice & { i?: string };
    try {
      notice = JSON.parse(message) as DeliveryNotice & { i?: string };
      if (notice.i === this.#instance) return;
      this.#listeners.emit([updateFromNotice(notice)]);
    } catch (error) {
      process.emitWarning(`an unreadable delivery update notice was ignored: ${String(error)}`);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new DeliveryQueueError('CLOSED', 'the delivery queue is closed');
  }
}

/** Private: the most selective index the filter allows; the script checks the filter's other fields. */
function indexForFilter(filter: DeliveryFilter): string {
  if (filter.orderId !== undefined) return `idx:order:${filter.orderId}`;
  if (filter.state !== undefined) return `idx:state:${filter.state}`;
  if (filter.target !== undefined) return `idx:target:${filter.target}`;
  return 'all';
}

/** Longest wait for Redis to acknowledge QUIT at close; a paused or unreachable Redis is then cut off. */
const QUIT_TIMEOUT_MS = 1000;

/** Private: QUIT (lets queued replies arrive), bounded: after the timeout, or on error, the socket is dropped. */
async function quitWithin(client: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), QUIT_TIMEOUT_MS);
  });
  try {
    const answer = await Promise.race([client.quit(), timedOut]);
    if (answer === 'timeout') client.disconnect();
  } catch {
    client.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
