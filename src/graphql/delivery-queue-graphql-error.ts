// Turns what a delivery queue call throws into a coded GraphQL error: an outage, a bad argument, or a bug.
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { DeliveryQueueError } from '../delivery/index.js';
import type { LogSink } from '../observability/index.js';
import { GatewayErrorCode } from './gateway-error-code.js';

/**
 * Runs one queue call. DELIVERY_QUEUE_UNAVAILABLE and CLOSED become DELIVERY_QUEUE_UNAVAILABLE (HTTP 503,
 * logged: an operator must look), INVALID_ARGUMENT becomes BAD_USER_INPUT; anything else is rethrown
 * (a bug, masked by formatError).
 */
export async function callDeliveryQueue<T>(logger: LogSink, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw deliveryQueueGraphQLError(logger, error);
  }
}

/** The GraphQL error for a queue failure (see callDeliveryQueue); non-queue errors are returned unchanged. */
export function deliveryQueueGraphQLError(logger: LogSink, error: unknown): unknown {
  if (!(error instanceof DeliveryQueueError)) return error;
  if (error.code === 'INVALID_ARGUMENT')
    return new GraphQLError(error.message, { extensions: { code: GatewayErrorCode.BAD_USER_INPUT } });
  logger.error({ err: error }, 'the delivery queue failed');
  const message = error.outcomeUnknown
    ? 'the delivery queue did not answer in time; the change may still be recorded and carried out: repeat the same request (same order id or idempotency key) to learn what happened'
    : 'the delivery queue cannot be reached; nothing was changed, retry later';
  return new GraphQLError(message, {
    extensions: {
      code: GatewayErrorCode.DELIVERY_QUEUE_UNAVAILABLE,
      outcomeUnknown: error.outcomeUnknown,
      http: { status: 503, headers: new HeaderMap() },
    },
  });
}
