// Applies the client's idempotency key to one mutation: replay, wait for a duplicate, re-run what failed, or run and store.
import { GraphQLError } from 'graphql';
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  IdempotencyStoreError,
  runIdempotently,
} from '../idempotency/index.js';
import type { SendOptions } from '../targets/index.js';
import type { GatewayContext } from './context.js';
import { GatewayErrorCode } from './gateway-error-code.js';

/**
 * Runs `work` at most once at a time per (client, key) when the request carries a key; without one it
 * just runs. A replayed payload marks the response (see idempotentReplayPlugin).
 * @param request what identifies the request for the reuse check: the operation and its validated arguments
 * @param work runs the mutation; `previous` is an earlier run's retryable payload, whose successes it keeps
 * @throws GraphQLError IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_PROGRESS or IDEMPOTENCY_STORE_UNAVAILABLE
 *   (nothing was sent); anything `work` throws propagates unchanged and leaves the key retryable (a
 *   GraphQLError such as RATE_LIMITED keeps its code; anything else is a bug: INTERNAL_SERVER_ERROR)
 */
export async function runWithIdempotency<T>(
  context: GatewayContext,
  send: SendOptions,
  request: unknown,
  work: (previous: T | undefined) => Promise<T>,
  isFinal: (payload: T) => boolean,
): Promise<T> {
  if (send.idempotencyKey === undefined) return work(undefined);
  try {
    const { payload, replayed } = await runIdempotently(context.idempotency.store, {
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
          'could not record an idempotent run; a repeat will run again (upstream keys prevent duplicates)',
        ),
    });
    if (replayed) context.replay.idempotentReplay = true;
    return payload;
  } catch (error) {
    if (error instanceof IdempotencyKeyReusedError)
      throw gatewayError(error.message, GatewayErrorCode.IDEMPOTENCY_KEY_REUSED);
    if (error instanceof IdempotencyKeyInProgressError)
      throw gatewayError(error.message, GatewayErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS);
    if (error instanceof IdempotencyStoreError) {
      context.logger.error({ err: error }, 'idempotency store failed before the mutation started');
      throw gatewayError(
        'the idempotency store cannot be reached; nothing was sent, retry with the same key',
        GatewayErrorCode.IDEMPOTENCY_STORE_UNAVAILABLE,
      );
    }
    throw error;
  }
}

function gatewayError(message: string, code: GatewayErrorCode): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
