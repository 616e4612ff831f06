// Where completed mutation payloads live under their idempotency key: the interface both stores implement.

/** A key's record: claimed by a request still running, or completed with the payload to replay. */
export type IdempotencyRecord =
  | { readonly state: 'pending'; readonly fingerprint: string }
  | { readonly state: 'completed'; readonly fingerprint: string; readonly payload: unknown };

export interface IdempotencyStore {
  /**
   * Atomically claims the key for a request with this fingerprint.
   * @returns undefined when the caller now owns the key, else the record already there
   */
  claim(key: string, fingerprint: string, pendingTtlMs: number): Promise<IdempotencyRecord | undefined>;
  /** Replaces the owner's pending record with the payload, kept for `ttlMs`. */
  complete(key: string, fingerprint: string, payload: unknown, ttlMs: number): Promise<void>;
  /** Drops the owner's pending record so a repeat runs again (the outcome was not final). */
  release(key: string, fingerprint: string): Promise<void>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
