// The one error a delivery queue rejects with, its code saying whether storage failed or the caller erred.

/**
 * - `DELIVERY_QUEUE_UNAVAILABLE`: storage could not be opened, read or written (disk, lock, corruption,
 *   Redis down). The GraphQL layer answers the public code of the same name; nothing was half-written.
 * - `INVALID_ARGUMENT`: a bad delivery, filter, page size or cursor (a bad request, not an outage).
 * - `CLOSED`: the queue was closed.
 */
export type DeliveryQueueErrorCode = 'DELIVERY_QUEUE_UNAVAILABLE' | 'INVALID_ARGUMENT' | 'CLOSED';

export class DeliveryQueueError extends Error {
  override readonly name = 'DeliveryQueueError';

  constructor(
    readonly code: DeliveryQueueErrorCode,
    message: string,
    options?: ErrorOptions & {
      /** The call was sent but not answered in time: storage may still apply it (a paused Redis runs it later). */
      readonly outcomeUnknown?: boolean;
    },
  ) {
    super(message, options);
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
  }

  readonly outcomeUnknown: boolean;
}

/** Wraps anything storage threw in a DELIVERY_QUEUE_UNAVAILABLE error (kept as is when it already is one). */
export function asDeliveryQueueError(error: unknown, message: string): DeliveryQueueError {
  if (error instanceof DeliveryQueueError) return error;
  const detail = error instanceof Error ? `: ${error.message}` : '';
  // ioredis's commandTimeout: the command was written to the socket and Redis may still run it.
  const outcomeUnknown = error instanceof Error && error.message === 'Command timed out';
  return new DeliveryQueueError('DELIVERY_QUEUE_UNAVAILABLE', `${message}${detail}`, {
    cause: error,
    outcomeUnknown,
  });
}
