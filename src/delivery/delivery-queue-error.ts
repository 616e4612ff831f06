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
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Wraps anything storage threw in a DELIVERY_QUEUE_UNAVAILABLE error (kept as is when it already is one). */
export function asDeliveryQueueError(error: unknown, message: string): DeliveryQueueError {
  if (error instanceof DeliveryQueueError) return error;
  const detail = error instanceof Error ? `: ${error.message}` : '';
  return new DeliveryQueueError('DELIVERY_QUEUE_UNAVAILABLE', `${message}${detail}`, { cause: error });
}
