// The durable delivery queue: the interface the SQLite (embedded) and Redis implementations honour.
//
// Design (longer version: docs/delivery.md)
//
// States. A delivery is one write (or one saga compensation) owed to one target for one order:
//   enqueue                               → QUEUED
//   enqueue (claimForMs)                  → IN_FLIGHT (under a lease, claimed by the caller)
//   claimDue                     QUEUED    → IN_FLIGHT (under a lease)
//   complete                     IN_FLIGHT → DELIVERED
//   retryLater, postpone, expiry IN_FLIGHT → QUEUED   (CANCELLED instead if cancel was requested)
//                                          (retryLater and expiry count an attempt; postpone does not)
//   kill                         IN_FLIGHT → DEAD     (the dead-letter list; CANCELLED if cancel was requested)
//   replay                       DEAD, CANCELLED → QUEUED (attempts and upstream key kept)
//   cancel                       QUEUED, DEAD → CANCELLED; IN_FLIGHT → marked, settles as above
//   prune                        DELIVERED, CANCELLED past the retention → removed (DEAD stays)
//
// Leases. `claimDue` hands a delivery to one claimer under a token and a lease (visibility timeout);
// `enqueue` with `claimForMs` creates it so, claimed by the caller (a saga attempting it inline), each
// delivery under its own token. From then on both kinds of claim are the same.
// Every claimed-side call (`complete`, `retryLater`, `postpone`, `kill`, `extendLease`) names the token
// and only takes effect while the delivery is still IN_FLIGHT under that token; otherwise it returns
// `stale-claim` and changes nothing. A lease that expires (the worker died or hung) returns the delivery
// to QUEUED, due at once, the next time anyone claims, so a crashed worker's work is resent. The expiry
// counts one attempt and sets `lastFailure` (LEASE_EXPIRED_FAILURE): the worker may have sent the write
// before it stopped. So "QUEUED with attempts 0" means "never sent", provided claimers `postpone` only
// what they did not send. The queue never kills for expiries (it does not know the retry schedule): the
// worker kills once the schedule is exhausted, when an attempt fails.
//
// Effectively once. The upstream call carries `upstreamKey` (the per-(order, target) Idempotency-Key) on
// every attempt, including the resend after a lease expiry. Delivery is at least once (a delivery leaves
// the queue only as DELIVERED, DEAD or CANCELLED, each recorded durably) and the upstream's idempotency
// ledger turns at-least-once into exactly-once *effects*: a resend of an applied write is replayed by the
// upstream, not applied twice. Stale-claim protection keeps a late worker from overwriting the result of
// the worker that took over.
//
// Implementations: SQLite (embedded; sqlite-delivery-queue.ts) and Redis (redis-delivery-queue.ts: one
// Lua script per state change, pub/sub for `onUpdate` across instances; docs/delivery.md says why it does
// not use BullMQ's job API). Both pass registerDeliveryQueueContract.

/** A JSON value: what payloads and results are stored as. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** `write`: the order itself; `compensation`: a saga's undo request for a write that succeeded. */
export type DeliveryKind = 'write' | 'compensation';

export const DELIVERY_STATES = ['QUEUED', 'IN_FLIGHT', 'DELIVERED', 'DEAD', 'CANCELLED'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** What a caller hands to `enqueue`. Times are epoch milliseconds. */
export interface NewDelivery {
  /** Unique, chosen by the caller (e.g. derived from order id, target and kind): the idempotency handle. */
  readonly id: string;
  readonly kind: DeliveryKind;
  readonly orderId: string;
  /** The target's registry id (e.g. `inventory`, `crm`). */
  readonly target: string;
  /** The per-(order, target) Idempotency-Key sent to the upstream on every attempt. */
  readonly upstreamKey: string;
  /** The order, or the compensation request. */
  readonly payload: JsonValue;
  /** W3C traceparent of the mutation that accepted it, so attempt spans link to it. */
  readonly traceparent?: string | undefined;
  readonly clientId?: string | undefined;
  /** When the first (queued) attempt is due. @default now */
  readonly nextAttemptAt?: number | undefined;
  /** Attempts already made before queueing (SYNC_OR_QUEUE tried within the deadline). @default 0 */
  readonly attempts?: number | undefined;
  /** The failure that made SYNC_OR_QUEUE queue it. @default null */
  readonly lastFailure?: string | undefined;
  /**
   * Create it IN_FLIGHT, claimed by the caller for this many ms, instead of QUEUED: the caller attempts it
   * at once (a saga's write or compensation tried inside the request) and settles it under the returned
   * claim; if the caller dies, the lease expires and a worker resends it. Ignored when the id exists already
   * (no claim is returned then). @default undefined (created QUEUED)
   */
  readonly claimForMs?: number | undefined;
}

/** A stored delivery. Times are epoch milliseconds; `null` means "not applicable in this state". */
export interface Delivery {
  readonly id: string;
  readonly kind: DeliveryKind;
  readonly orderId: string;
  readonly target: string;
  readonly upstreamKey: string;
  readonly payload: JsonValue;
  readonly traceparent: string | null;
  readonly clientId: string | null;
  readonly createdAt: number;
  readonly state: DeliveryState;
  /**
   * Attempts made: every `complete`, `retryLater` and `kill` counts one; `postpone` does not; a lease
   * expiry counts one. 0 while QUEUED means never sent (claimers `postpone` only what they did not send).
   */
  readonly attempts: number;
  /** When it is due (QUEUED), or was due when claimed (IN_FLIGHT); null once DELIVERED, DEAD or CANCELLED. */
  readonly nextAttemptAt: number | null;
  readonly lastFailure: string | null;
  /** The upstream's answer, once DELIVERED. */
  readonly result: JsonValue | null;
  readonly deliveredAt: number | null;
  /** When the state last changed. */
  readonly updatedAt: number;
  /** IN_FLIGHT only: when the current claim's lease ends. */
  readonly leaseExpiresAt: number | null;
  /** IN_FLIGHT only: `cancel` was asked during the attempt; see `DeliveryQueue.cancel`. */
  readonly cancelRequested: boolean;
}

/** Proof of a claim: only its holder may settle the delivery. */
export interface DeliveryClaim {
  readonly token: string;
  readonly leaseExpiresAt: number;
}

export interface ClaimedDelivery {
  readonly delivery: Delivery;
  readonly claim: DeliveryClaim;
}

export interface EnqueuedDelivery {
  readonly delivery: Delivery;
  /** False when a delivery with this id existed already (it is returned unchanged). */
  readonly created: boolean;
  /** Present when it was created with `claimForMs`: the caller's claim on it. */
  readonly claim?: DeliveryClaim | undefined;
}

/** The answer of a claimed-side call: never thrown for a lost claim. */
export type ClaimedUpdate =
  | { readonly outcome: 'updated'; readonly delivery: Delivery }
  /** The claim no longer holds (lease expired and reclaimed, or settled already): nothing changed. */
  | { readonly outcome: 'stale-claim'; readonly delivery: Delivery }
  | { readonly outcome: 'not-found' };

/** The answer of an operator action (`replay`, `cancel`). */
export type OperatorUpdate =
  | { readonly outcome: 'updated'; readonly delivery: Delivery }
  /** `cancel` of an IN_FLIGHT delivery: it becomes CANCELLED when the attempt ends, unless delivered. */
  | { readonly outcome: 'cancel-requested'; readonly delivery: Delivery }
  /** Not allowed in the delivery's state; `reason` says why, for the operator. */
  | { readonly outcome: 'refused'; readonly reason: string; readonly delivery: Delivery }
  | { readonly outcome: 'not-found' };

export interface DeliveryFilter {
  readonly state?: DeliveryState | undefined;
  readonly target?: string | undefined;
  readonly orderId?: string | undefined;
  readonly kind?: DeliveryKind | undefined;
  /** Created at or after this time (epoch ms). */
  readonly createdAfter?: number | undefined;
  /** Created strictly before this time (epoch ms). */
  readonly createdBefore?: number | undefined;
}

export interface PageRequest {
  /** Page size, 1..MAX_PAGE_SIZE. */
  readonly first: number;
  /** The `cursor` of the last item of the previous page; absent for the first page. */
  readonly after?: string | undefined;
}

export const MAX_PAGE_SIZE = 500;

/** Deliveries in the order they were enqueued (oldest first); rows added while paging appear on later pages. */
export interface DeliveryPage {
  readonly items: readonly { readonly cursor: string; readonly delivery: Delivery }[];
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

export interface TargetDeliveryStats {
  readonly target: string;
  readonly counts: Readonly<Record<DeliveryState, number>>;
  /** Due time of the oldest QUEUED delivery that is due now, or null. */
  readonly oldestDueAt: number | null;
  /** Queue lag: how long the oldest due delivery has waited past its due time (0 when none is due). */
  readonly lagMs: number;
}

export interface DeliveryStats {
  readonly targets: readonly TargetDeliveryStats[];
  readonly lagMs: number;
}

/** One state change (or a new delivery: `previousState` null), after it was committed. */
export interface DeliveryUpdate {
  readonly delivery: Delivery;
  readonly previousState: DeliveryState | null;
}

/**
 * Every method rejects with DeliveryQueueError: `DELIVERY_QUEUE_UNAVAILABLE` when storage fails (never a
 * silent loss), `INVALID_ARGUMENT` for a bad input or cursor, `CLOSED` after `close()`.
 */
export interface DeliveryQueue {
  /**
   * Atomically persists new deliveries (all or none) and resolves once they are committed durably.
   * Idempotent by id: an existing id is returned unchanged with `created: false`. Results follow input order.
   */
  enqueue(deliveries: readonly NewDelivery[]): Promise<EnqueuedDelivery[]>;
  /**
   * Atomically claims up to `limit` due QUEUED deliveries of `target`, oldest due first, for `leaseMs`.
   * Deliveries whose lease expired are QUEUED again first (due now; the expiry counts one attempt and sets
   * `lastFailure`; CANCELLED instead if cancel was asked). Two claimers never get the same delivery.
   * @param now the clock to judge due times and leases by. @default the queue's clock
   */
  claimDue(target: string, limit: number, leaseMs: number, now?: number): Promise<ClaimedDelivery[]>;
  /** Pushes the lease of a long attempt further (a heartbeat). */
  extendLease(id: string, claim: DeliveryClaim, leaseMs: number): Promise<ClaimedUpdate>;
  /** IN_FLIGHT → DELIVERED with the upstream's answer; counts the attempt. */
  complete(id: string, claim: DeliveryClaim, result: JsonValue): Promise<ClaimedUpdate>;
  /** IN_FLIGHT → QUEUED due at `nextAttemptAt`; counts the attempt (CANCELLED instead if cancel was asked). */
  retryLater(
    id: string,
    claim: DeliveryClaim,
    failure: string,
    nextAttemptAt: number,
  ): Promise<ClaimedUpdate>;
  /** IN_FLIGHT → QUEUED due at `until` without counting an attempt (open circuit, shutdown release). */
  postpone(id: string, claim: DeliveryClaim, until: number): Promise<ClaimedUpdate>;
  /** IN_FLIGHT → DEAD (dead letter) with the failure; counts the attempt (CANCELLED instead if cancel was asked). */
  kill(id: string, claim: DeliveryClaim, failure: string): Promise<ClaimedUpdate>;
  get(id: string): Promise<Delivery | undefined>;
  list(filter: DeliveryFilter, page: PageRequest): Promise<DeliveryPage>;
  /** DEAD or CANCELLED → QUEUED due now, attempts and upstream key kept; other states are refused. */
  replay(id: string): Promise<OperatorUpdate>;
  /** Replays every DEAD or CANCELLED delivery matching `filter`; resolves with how many. */
  replayMatching(filter: DeliveryFilter): Promise<number>;
  /**
   * QUEUED or DEAD → CANCELLED. IN_FLIGHT is not refused: it is marked, and when the attempt ends it
   * becomes CANCELLED instead of QUEUED or DEAD — unless the attempt delivered it (the upstream applied
   * the write; DELIVERED is the truth). DELIVERED and CANCELLED are refused.
   */
  cancel(id: string): Promise<OperatorUpdate>;
  /** Removes DELIVERED deliveries delivered before `before`, and CANCELLED ones cancelled before it; DEAD stays. */
  prune(before: number): Promise<number>;
  /** Counts by target and state, and queue lag. @param now @default the queue's clock */
  stats(now?: number): Promise<DeliveryStats>;
  /**
   * Calls `listener` after every committed state change. SQLite: changes made through this instance only;
   * Redis: every instance's changes (pub/sub, which may drop notices while disconnected). Returns the
   * unsubscribe function.
   */
  onUpdate(listener: (update: DeliveryUpdate) => void): () => void;
  /** Resolves when the queue can take writes (readiness); rejects with DELIVERY_QUEUE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** Commits what is pending, then releases the storage. Further calls reject with CLOSED. */
  close(): Promise<void>;
}
