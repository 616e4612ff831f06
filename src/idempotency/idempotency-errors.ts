// The errors a keyed mutation can end with besides its own: key reuse, a duplicate still running, the store failing.

/** The key was used before with a different request (in any state of its record, for its whole TTL). */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
}

/** A request with the same key is still running and did not finish before this one's deadline. */
export class IdempotencyKeyInProgressError extends Error {
  override readonly name = 'IdempotencyKeyInProgressError';
}

/**
 * The idempotency store itself failed: unreachable, a command timed out, or it did not answer before
 * the request's deadline. Never wraps an error thrown by the mutation's own work.
 */
export class IdempotencyStoreError extends Error {
  override readonly name = 'IdempotencyStoreError';
}

/** Wraps anything a store threw in an IdempotencyStoreError (kept as is when it already is one). */
export function asIdempotencyStoreError(error: unknown, message: string): IdempotencyStoreError {
  if (error instanceof IdempotencyStoreError) return error;
  return new IdempotencyStoreError(message, { cause: error });
}
