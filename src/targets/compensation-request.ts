// The HTTP request that undoes a target's write (saga compensation), as the target's contract defines it.

/** One compensation call: built by the target from its own success value, sent by whoever compensates. */
export interface CompensationRequest {
  readonly method: 'POST' | 'DELETE';
  /** Path below the target's base URL, path parameters already encoded, e.g. `/crm/activities/a%2F1`. */
  readonly path: string;
  /** JSON body, for methods that carry one. */
  readonly body?: Record<string, unknown>;
  /** Statuses that mean the write is undone, or was undone already (both contracts make undo idempotent). */
  readonly undoneStatuses: readonly number[];
}
