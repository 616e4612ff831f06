// Sends one compensation (saga undo) through the target's own pipeline and settles it as undone or failed.
import { failed, type Outcome, succeeded } from '../core/index.js';
import type { CompensationRequest } from './compensation-request.js';
import { type ExchangeOptions, exchange, invalidResponse, type TargetCall } from './target-call.js';
import type { OrderAnswer } from './target-definition.js';

/** A compensation the upstream confirmed: the write is undone now, or was undone already. */
export interface CompensationResult {
  /** What the upstream answered: one of the request's `undoneStatuses` (e.g. 204, or 404 for an activity already gone). */
  readonly httpStatus: number;
  /** The upstream answered `Idempotent-Replayed: true`: an earlier send of this compensation was the one applied. */
  readonly replayed: boolean;
  /** HTTP attempts the call took. */
  readonly attempts: number;
}

export interface CompensateOptions extends ExchangeOptions {
  /**
   * The compensation's own Idempotency-Key: `compensationIdempotencyKey(<the write's upstream key>)`, the same
   * on every attempt, inside the request or from the worker. Sent with POST compensations when the target
   * sends keys (`idempotencyKeys`); the contracts define the header for POSTs, and a DELETE is idempotent
   * by itself.
   */
  readonly idempotencyKey: string;
}

/**
 * Sends `request` through the same rate limit, bulkhead, breaker, retry planner, attempt timeout and
 * deadline as the target's writes, with the same failure classification. Resending is always safe: both
 * contracts make undo a no-op when repeated, so 5xx answers and lost connections are retried as for a
 * keyed write. An answer in `undoneStatuses` is a success (a 404 among them ends the call, not as a
 * rejection); any other 2xx does not say the write is undone, so it breaks the contract. Never rejects.
 */
export async function sendCompensation<T extends OrderAnswer>(
  call: TargetCall<T>,
  request: CompensationRequest,
  options: CompensateOptions,
): Promise<Outcome<CompensationResult>> {
  const undone = new Set(request.undoneStatuses);
  const idempotencyKey =
    call.sendsIdempotencyKeys && request.method === 'POST' ? options.idempotencyKey : undefined;
  const { result, attempts } = await exchange(
    call,
    {
      method: request.method,
      path: request.path,
      body: request.body,
      operation: `compensate ${request.method}`,
      answers: (status) => undone.has(status) || (status >= 200 && status < 300),
      idempotencyKey,
      idempotent: true,
      maxResponseBytes: call.maxResponseBytes,
    },
    options,
  );
  if (!result.ok) {
    const { failure } = result;
    // The status is the proof the write is undone; a body too large to read does not change it.
    if (
      failure.kind === 'invalidResponse' &&
      failure.httpStatus !== undefined &&
      undone.has(failure.httpStatus)
    )
      return succeeded({ httpStatus: failure.httpStatus, replayed: false, attempts });
    return result;
  }
  const { status, headers } = result.value;
  if (!undone.has(status)) {
    const problem = `a compensation is undone only by ${[...undone].join(' or ')}`;
    return failed(invalidResponse(call.definition.label, status, problem, attempts));
  }
  return succeeded({ httpStatus: status, replayed: headers['idempotent-replayed'] === 'true', attempts });
}
