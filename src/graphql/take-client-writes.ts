// Charges a run's upstream writes to its client before anything is sent; over the limit is RATE_LIMITED (HTTP 429).
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { EarlierRun } from '../fanout/index.js';
import type { TargetRegistry } from '../targets/index.js';
import type { GatewayContext } from './context.js';
import { GatewayErrorCode } from './gateway-error-code.js';

/**
 * The upstream writes a run sends or queues: every target for each order (ASYNC is charged alike), less
 * the targets an earlier retryable run of the same idempotency key already settled or queued (those are
 * not called again).
 */
export function upstreamWrites(targets: TargetRegistry, earlier: readonly EarlierRun[]): number {
  return earlier.reduce(
    (sum, run) =>
      sum +
      targets.targets.filter(({ id }) => run.outcomes?.[id] === undefined && run.queued?.[id] === undefined)
        .length,
    0,
  );
}

/**
 * Takes `writes` from the client's limit, all or nothing. Call it inside the work runWithIdempotency runs,
 * so a replay from the idempotency store costs nothing.
 * @throws GraphQLError RATE_LIMITED (with `retryAfterMs`, and HTTP 429 + `Retry-After` in whole seconds through
 *   Apollo's `extensions.http`), or LIMIT_EXCEEDED when the request needs more than a whole window allows
 */
export async function takeClientWrites(context: GatewayContext, writes: number): Promise<void> {
  const decision = await context.clientWriteLimiter.take(context.client, writes);
  switch (decision.kind) {
    case 'allowed':
      return;
    case 'too-large':
      throw new GraphQLError(
        `this request needs ${writes} upstream writes (orders × targets) but a client may make ${decision.limit} per ${decision.windowSeconds} s; split it across requests`,
        { extensions: { code: GatewayErrorCode.LIMIT_EXCEEDED, limit: decision.limit } },
      );
    case 'limited': {
      context.metrics.clientRateLimited(context.client);
      const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      throw new GraphQLError(
        `this client is over its limit of upstream writes; nothing was sent, retry after ${retryAfterSeconds} s`,
        {
          extensions: {
            code: GatewayErrorCode.RATE_LIMITED,
            retryAfterMs: decision.retryAfterMs,
            // Apollo Server takes `http` off the error and applies it to the response (errorNormalize.ts).
            http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
          },
        },
      );
    }
  }
}
