// Where a keyed mutation's state lives under its idempotency key: the interface both stores implement.

/**
 * A key's record. The fingerprint stays bound to the key in every state for the record's whole TTL.
 * - `pending`: an owner is running; its lease ends at `leaseExpiresAt` (store clock), then anyone may take over.
 *   It keeps the payload of the retryable run it took over (not returned here), so a crash loses nothing.
 * - `retryable`: a run ended with a payload a retry could improve, or threw; `payload` is undefined when no run produced one.
 * - `completed`: the final payload, replayed as is.
 */
export type IdempotencyRecord =
  | {
      readonly state: 'pending';
      readonly fingerprint: string;
      readonly leaseExpiresAt: number;
      /** Judged by the store's own clock when read, so gateway clocks do not matter. */
      readonly leaseExpired: boolean;
    }
  | { readonly state: 'retryable'; readonly fingerprint: string; readonly payload: unknown }
  | { readonly state: 'completed'; readonly fingerprint: string; readonly payload: unknown };

/** What a claim found: the caller now owns the key, or why not. */
export type IdempotencyClaim =
  /** The caller owns the key; `previous` is the retryable payload kept from an earlier run, or undefined. */
  | { readonly outcome: 'claimed'; readonly previous: unknown }
  /** Same fingerprint, final payload: replay it. */
  | { readonly outcome: 'completed'; readonly payload: unknown }
  /** Same fingerprint, another owner holds a live lease. */
  | { readonly outcome: 'in-progress' }
  /** The key is bound to a different fingerprint. */
  | { readonly outcome: 'reused' };

export interface ClaimRequest {
  readonly fingerprint: string;
  /** Identifies this run, so only it (or a final payload) can end its pending record. */
  readonly owner: string;
  /** How long the claim holds the key against other claimants. */
  readonly leaseMs: number;
  /** How long the record lives (in every state); at least `leaseMs`. */
  readonly ttlMs: number;
}

export interface FinishRequest {
  readonly fingerprint: string;
  readonly owner: string;
  readonly state: 'completed' | 'retryable';
  /** Undefined keeps the payload already stored (a run that threw). */
  readonly payload?: unknown;
  readonly ttlMs: number;
}

/** Every method rejects with IdempotencyStoreError on a store failure and settles within the store's own timeout. */
export interface IdempotencyStore {
  /**
   * Atomically claims the key: a free key, a `retryable` record or a `pending` one whose lease expired
   * (same fingerprint) becomes `pending` for the caller; anything else is reported, unchanged.
   */
  claim(key: string, request: ClaimRequest): Promise<IdempotencyClaim>;
  /** Reads the record without changing it (a waiter's poll). */
  read(key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Ends a run: stores `completed` or `retryable` for the same fingerprint. A completed record is never
   * replaced; a `retryable` outcome is ignored while another owner holds the key; a final one always wins.
   */
  finish(key: string, request: FinishRequest): Promise<void>;
  /** Rejects when the store cannot be reached (readiness); bounded by the store's command timeout. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
