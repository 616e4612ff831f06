// Applies the client's idempotency key to one mutation: replay, wait for a duplicate, or run and store.
import { GraphQLError } from 'graphql';
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  runIdempotently,
} from '../idempotency/index.js';
import type { SendOptions } from '../targets/index.js';
import type { GatewayContext } from './context.js';
import { GatewayErrorCode } from './gateway-error-code.js';

/**
 * Runs `work` at most once per (client, key) when the request carries a key; without one it just runs.
 * @param request what identifies the request for the reuse check: the operation and its validated arguments
 */
export async function runWithIdempotency<T>(
  context: GatewayContext,
  send: SendOptions,
  request: unknown,
  work: () => Promise<T>,
  isFinal: (payload: T) => boolean,
): Promise<T> {
  if (send.idempotencyKey === undefined) return work();
  try {
    return await runIdempotently(context.idempotency.store, {
      client: context.client,
      key: send.idempotencyKey,
      request,
      deadline: send.deadline,
      ttlMs: context.idempotency.ttlMs,
      work,
      isFinal,
      onStoreError: (error) =>
        context.logger.error(
          { err: error },
          'could not store an idempotent payload; a repeat will run again',
        ),
    });
  } catch (error) {
    if (error instanceof IdempotencyKeyReusedError)
      throw gatewayError(error.message, GatewayErrorCode.IDEMPOTENCY_KEY_REUSED);
    if (error instanceof IdempotencyKeyInProgressError)
      throw gatewayError(error.message, GatewayErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS);
    if (error instanceof GraphQLError) throw error;
    context.logger.error({ err: error }, 'idempotency store failed before the mutation started');
    throw gatewayError(
      'the idempotency store cannot be reached; nothing was sent, retry with the same key',
      GatewayErrorCode.IDEMPOTENCY_STORE_UNAVAILABLE,
    );
  }
}

function gatewayError(message: string, code: GatewayErrorCode): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
