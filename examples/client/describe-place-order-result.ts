// Example frontend code: reads a typed placeOrder payload with exhaustive switches on `__typename`: lines for a developer, a message for the user, whether to retry.
import type { PlaceOrderMutation } from './__generated__/graphql.js';

/** The payload as the generated types describe it: each target's result is a union narrowed by `__typename`. */
export type PlaceOrderPayload = PlaceOrderMutation['placeOrder'];
export type InventoryResult = PlaceOrderPayload['inventory'];
export type CrmResult = PlaceOrderPayload['crm'];
/** A target's write queued for later delivery (`options.delivery` ASYNC or SYNC_OR_QUEUE), as either union carries it. */
export type QueuedResult = Extract<InventoryResult | CrmResult, { __typename: 'DeliveryQueued' }>;
/** Any member of the TargetFailure interface, as either target's union carries it. */
export type TargetFailureResult =
  | Exclude<InventoryResult, { __typename: 'StockDeducted' | 'DeliveryQueued' }>
  | Exclude<CrmResult, { __typename: 'ActivityLogged' | 'DeliveryQueued' }>;

/** How the user knows each target; a user message starts with it. */
const TARGET_NAMES = { INVENTORY: 'The stock system', CRM: 'The customer system' } as const;

/** One line for a developer: what the Inventory API did, or how it failed. */
export function describeInventoryResult(result: InventoryResult): string {
  switch (result.__typename) {
    case 'StockDeducted': {
      const lines = result.items.map((item) => `${item.quantity}× ${item.sku}, ${item.remaining} left`);
      return `stock deducted (${result.deductionId}${replayedMark(result.replayed)}): ${lines.join('; ')}`;
    }
    case 'UpstreamRejected':
    case 'UpstreamUnavailable':
    case 'UpstreamTimeout':
    case 'InvalidUpstreamResponse':
    case 'CircuitOpen':
    case 'RateLimited':
      return describeFailure(result);
    case 'DeliveryQueued':
      return describeQueued(result);
    default:
      return describeUnknownMember(result);
  }
}

/** One line for a developer: what the CRM API did, or how it failed. */
export function describeCrmResult(result: CrmResult): string {
  switch (result.__typename) {
    case 'ActivityLogged':
      return `activity logged (${result.activityId}${replayedMark(result.replayed)}) at ${result.loggedAt}`;
    case 'UpstreamRejected':
    case 'UpstreamUnavailable':
    case 'UpstreamTimeout':
    case 'InvalidUpstreamResponse':
    case 'CircuitOpen':
    case 'RateLimited':
      return describeFailure(result);
    case 'DeliveryQueued':
      return describeQueued(result);
    default:
      return describeUnknownMember(result);
  }
}

/** One line for a developer: the queued delivery, its attempts so far and when the gateway tries next. */
export function describeQueued(queued: QueuedResult): string {
  const attempts = `${queued.attempts} attempt${queued.attempts === 1 ? '' : 's'} so far`;
  const next = queued.nextAttemptAt === null ? '' : `, next at ${queued.nextAttemptAt}`;
  const why = queued.lastFailure === null ? '' : ` after: ${queued.lastFailure}`;
  return `queued for delivery (${queued.deliveryId}; ${attempts}${next})${why}`;
}

/** One line for a developer: the failure kind, its own details, whether a retry could help, and the message. */
export function describeFailure(failure: TargetFailureResult): string {
  const retry = failure.retryable ? 'retryable' : 'not retryable';
  const attempts = `${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'}`;
  return `${failure.__typename} (${detailsOf(failure)}; ${retry}; ${attempts}): ${failure.message}`;
}

/**
 * What to tell the person who pressed the button. `retryable` decides whether "try again" is honest: it
 * is true only when sending the same action again cannot write twice.
 */
export function userMessageFor(failure: TargetFailureResult): string {
  const target = TARGET_NAMES[failure.target];
  switch (failure.__typename) {
    case 'UpstreamRejected':
      return `${target} refused this order (${failure.code ?? `HTTP ${failure.httpStatus}`}). Change the order and place it again.`;
    case 'UpstreamUnavailable':
    case 'UpstreamTimeout': {
      const what = failure.__typename === 'UpstreamTimeout' ? 'did not answer in time' : 'is unavailable';
      return failure.retryable
        ? `${target} ${what}. Try again: nothing will be done twice.`
        : `${target} ${what} and may have received this order. Check the order before placing it again.`;
    }
    case 'InvalidUpstreamResponse':
      return `${target} gave an answer we could not read, so this order may or may not be recorded. Contact support.`;
    case 'CircuitOpen':
    case 'RateLimited':
      return `${target} is busy. Try again ${inSeconds(failure.retryAfterMs)}.`;
    default:
      return describeUnknownMember(failure);
  }
}

/** How long to wait before sending the same action again, in milliseconds; undefined when retrying cannot help. */
export function retryDelayMs(failure: TargetFailureResult): number | undefined {
  if (!failure.retryable) return undefined;
  switch (failure.__typename) {
    case 'UpstreamUnavailable':
    case 'CircuitOpen':
    case 'RateLimited':
      return failure.retryAfterMs ?? 0;
    default:
      return 0;
  }
}

/** What the example prints for one answer: the status, one line per target, one user message per failure. */
export function reportLines(payload: PlaceOrderPayload): string[] {
  return [
    `order ${payload.orderId}: ${payload.status} in ${payload.durationMs} ms`,
    `  inventory: ${describeInventoryResult(payload.inventory)}`,
    `  crm:       ${describeCrmResult(payload.crm)}`,
    ...failuresOf(payload).map((failure) => `  tell the user: ${userMessageFor(failure)}`),
  ];
}

/**
 * The wait before sending the same action again by itself, or undefined when nothing failed or some failure
 * needs the user: one is not retryable, or asks for a longer wait than `longestWaitMs`.
 */
export function automaticRetryWaitMs(payload: PlaceOrderPayload, longestWaitMs: number): number | undefined {
  const failures = failuresOf(payload);
  if (failures.length === 0) return undefined;
  const waits = failures.map(retryDelayMs);
  if (waits.some((wait) => wait === undefined || wait > longestWaitMs)) return undefined;
  return Math.max(...waits.map((wait) => wait ?? 0));
}

/** The failed targets of a payload, inventory first (a queued write is not a failure: the gateway delivers it). */
export function failuresOf(payload: PlaceOrderPayload): TargetFailureResult[] {
  const failures: TargetFailureResult[] = [];
  const { inventory, crm } = payload;
  if (inventory.__typename !== 'StockDeducted' && inventory.__typename !== 'DeliveryQueued')
    failures.push(inventory);
  if (crm.__typename !== 'ActivityLogged' && crm.__typename !== 'DeliveryQueued') failures.push(crm);
  return failures;
}

// Private: each failure kind's own fields, the ones that differ between members.
function detailsOf(failure: TargetFailureResult): string {
  switch (failure.__typename) {
    case 'UpstreamRejected':
      return `${httpStatusOf(failure.httpStatus)} ${failure.code ?? 'no code'}`;
    case 'UpstreamUnavailable':
      return [httpStatusOf(failure.httpStatus), retryAfterOf(failure.retryAfterMs)]
        .filter(Boolean)
        .join(', ');
    case 'UpstreamTimeout':
      return `timed out after ${failure.timeoutMs} ms`;
    case 'InvalidUpstreamResponse':
      return httpStatusOf(failure.httpStatus);
    case 'CircuitOpen':
    case 'RateLimited':
      return retryAfterOf(failure.retryAfterMs) || 'no wait given';
    default:
      return describeUnknownMember(failure);
  }
}

// Private: a success made by an earlier send of the same action (its idempotency key), not by this one.
function replayedMark(replayed: boolean): string {
  return replayed ? ', replayed' : '';
}

function httpStatusOf(status: number | null): string {
  return status === null ? 'no answer' : `HTTP ${status}`;
}

function retryAfterOf(milliseconds: number | null): string {
  return milliseconds === null ? '' : `retry after ${milliseconds} ms`;
}

function inSeconds(milliseconds: number | null): string {
  return milliseconds === null ? 'in a moment' : `in ${Math.ceil(milliseconds / 1000)} s`;
}

// Private: `never` makes a new union member a compile error after `npm run codegen`; at run time a gateway
// newer than these generated types can still send one, so it is reported, not thrown.
function describeUnknownMember(member: never): string {
  const typename = (member as { __typename?: unknown }).__typename;
  return `a result this client does not know yet (${String(typename)}): update the client`;
}
