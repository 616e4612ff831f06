// The HTTP request that undoes a target's write (saga compensation), as the target's contract defines it.

/**
 * One compensation call: built by the target from its own success value, sent by whoever compensates
 * (`TargetClient.compensate`, inside the request or from the delivery worker). Plain JSON data, so it is
 * also what a queued compensation delivery stores as its payload.
 */
export interface CompensationRequest {
  readonly method: 'POST' | 'DELETE';
  /** Path below the target's base URL, path parameters already encoded, e.g. `/crm/activities/a%2F1`. */
  readonly path: string;
  /** JSON body, for methods that carry one. */
  readonly body?: Record<string, unknown>;
  /**
   * Statuses that mean the write is undone, or was undone already (both contracts make undo idempotent).
   * Never a 5xx: an error proves nothing about the write.
   */
  readonly undoneStatuses: readonly number[];
}
