/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What happens to the targets that succeeded when another target fails. */
export type Consistency =
  /**
   * A saga: the writes still go out at the same time; when one fails for good (a rejection, a failure at
   * the deadline in SYNC mode, or a queued write that goes DEAD), every write that applied is undone with
   * its target's compensation (Inventory: restore the deduction; CRM: delete the activity), and one that
   * may have applied (a timeout) is first resolved by resending it with its own key. The writes and the
   * compensations are committed to the delivery queue before they are sent, so a crash loses nothing: a
   * compensation that cannot finish within the request is queued, retried on
   * DELIVERY_COMPENSATION_RETRY_SCHEDULE, and visible in `deliveries` (kind COMPENSATION). The status is
   * then ROLLED_BACK, ROLLBACK_PENDING or NEEDS_ATTENTION, and `PlaceOrderPayload.compensations` says, per
   * target, whether its write was undone. Needs the delivery queue: when it cannot be written, the
   * mutation is a DELIVERY_QUEUE_UNAVAILABLE error and nothing was sent.
   */
  | 'ALL_OR_NOTHING'
  /** Keep every success; the payload says which targets failed. The default. */
  | 'BEST_EFFORT';

/**
 * Whether the client waits for the upstream writes. A queued write is committed durably to the gateway's
 * delivery queue before the mutation answers and is delivered by a worker with the retry schedule
 * (DELIVERY_RETRY_SCHEDULE), sending the same upstream Idempotency-Key on every attempt; it ends DELIVERED,
 * or DEAD when the schedule runs out or the upstream rejects it (see `Query.deliveries`).
 */
export type DeliveryMode =
  /**
   * Send nothing now: commit one delivery per order and target to the queue, then answer at once with
   * status ACCEPTED and every target's member `DeliveryQueued` (attempts 0). When the queue cannot be
   * written, the mutation is a DELIVERY_QUEUE_UNAVAILABLE error and nothing was sent or queued. Charged
   * to the client's write limit like SYNC (orders × targets). A repeat of the same order (same client,
   * same idempotency key or, without one, same order id) queues nothing new: delivery ids are derived
   * from the upstream key, and the repeat answers ACCEPTED with the same delivery ids.
   */
  | 'ASYNC'
  /** Wait for every target's outcome within the deadline and report it. The default. */
  | 'SYNC'
  /**
   * Send as SYNC within the deadline; a target whose outcome at the deadline is a transient failure
   * (UpstreamUnavailable, UpstreamTimeout, RateLimited, CircuitOpen) is queued instead and answered as
   * `DeliveryQueued` (its attempts so far, its last failure, its next attempt). A permanent answer
   * (UpstreamRejected, InvalidUpstreamResponse) is reported as it is. When the queue cannot be written,
   * the target's real failure is reported (never a silent loss).
   */
  | 'SYNC_OR_QUEUE';

/** How the gateway delivers a mutation. Every field is optional. */
export type FanoutOptions = {
  /**
   * Whether targets that succeeded are compensated when another fails for good: BEST_EFFORT (the default)
   * keeps every success; ALL_OR_NOTHING undoes them (see `Consistency`).
   */
  consistency?: Consistency | null | undefined;
  /**
   * Milliseconds the mutation may take (50 to 600000), retries and every wait included, counted from the
   * start of the operation (aliased mutations in one request share it): each attempt's timeout is cut to
   * the time left, and a retry whose wait would not fit is not made. Defaults to the gateway's
   * FANOUT_DEADLINE_MS (2000). With ALL_OR_NOTHING, a rollback that follows the writes gets as long
   * again (what it cannot finish is queued), so the answer comes within twice the deadline.
   */
  deadlineMs?: number | null | undefined;
  /**
   * Whether the client waits for the upstreams: SYNC (the default), ASYNC (persist every write durably and
   * answer ACCEPTED at once) or SYNC_OR_QUEUE (try within the deadline; queue what is still failing
   * transiently). See `DeliveryMode`.
   */
  delivery?: DeliveryMode | null | undefined;
  /**
   * A key that makes the mutation safe to repeat (1 to 255 characters; also accepted as the
   * `Idempotency-Key` HTTP header, under the same rules). Keys are scoped to the authenticated client
   * (with authentication off, `apollographql-client-name`) and bound to the request they were first used with for 24 hours by
   * default: the same key with different arguments is an IDEMPOTENCY_KEY_REUSED error. A repeat of a
   * final payload returns it without calling any upstream (the response then carries the header
   * `Idempotent-Replayed: true` and `extensions.idempotentReplay: true`); a repeat of a payload with a
   * retryable failure re-sends only to the targets that did not succeed; a duplicate still running is
   * waited for and gets the first run's payload. Each target receives its own key derived from the
   * client and this key (or from the client and the order id when there is none).
   */
  idempotencyKey?: string | null | undefined;
};

/** The overall outcome of one order across every target. */
export type FanoutStatus =
  /**
   * No target failed for good and at least one is queued (ASYNC, or SYNC_OR_QUEUE with a transient
   * failure): each queued write will be delivered or go DEAD. A target that failed for good next to a
   * queued one makes the order PARTIALLY_SUCCEEDED: a queued target counts as "not failed".
   */
  | 'ACCEPTED'
  /** Every target failed for good (no target succeeded or is queued). */
  | 'FAILED'
  /**
   * ALL_OR_NOTHING: a compensation went DEAD (or was cancelled): that target's write remains applied
   * until an operator fixes the cause and replays the compensation (`replayDelivery`).
   */
  | 'NEEDS_ATTENTION'
  /** At least one target failed for good and at least one succeeded or is queued (`DeliveryQueued`). */
  | 'PARTIALLY_SUCCEEDED'
  /**
   * ALL_OR_NOTHING: a write failed for good, and undoing the others is under way: at least one
   * compensation is queued (PENDING, with its delivery id; follow it with `deliveryUpdated`).
   */
  | 'ROLLBACK_PENDING'
  /**
   * ALL_OR_NOTHING: a write failed for good, and nothing remains applied: every write that applied was
   * undone (each target's entry in `compensations` is COMPENSATED).
   */
  | 'ROLLED_BACK'
  /** Every target succeeded. */
  | 'SUCCEEDED';

/** One line of an order. */
export type OrderItemInput = {
  /** How many units, from 1 to 10000. */
  quantity: number;
  /** The stock keeping unit (1-64 characters). */
  sku: string;
};

/** An order to place: its items are deducted from stock and the activity is logged for its customer. */
export type PlaceOrderInput = {
  /** The customer placing the order (1-128 characters). */
  customerId: string | number;
  /** What the order contains: 1 to 100 lines. */
  items: Array<OrderItemInput>;
  /** The caller's order id (1-128 characters). Sent to every target; unique within one `placeOrders` call. */
  orderId: string | number;
};

/** An upstream the gateway writes to. */
export type Target =
  /** The CRM API: logs customer activity. */
  | 'CRM'
  /** The Inventory API: deducts stock. */
  | 'INVENTORY';

export type PlaceOrderMutationVariables = Exact<{
  input: PlaceOrderInput;
  options?: FanoutOptions | null | undefined;
}>;


export type PlaceOrderMutation = { placeOrder: { orderId: string, status: FanoutStatus, durationMs: number, inventory:
      | { __typename: 'CircuitOpen', retryAfterMs: number | null, target: Target, message: string, retryable: boolean, attempts: number }
      | { __typename: 'DeliveryQueued', target: Target, deliveryId: string, attempts: number, nextAttemptAt: string | null, lastFailure: string | null }
      | { __typename: 'InvalidUpstreamResponse', httpStatus: number | null, target: Target, message: string, retryable: boolean, attempts: number }
      | { __typename: 'RateLimited', retryAfterMs: number | null, target: Target, message: string, retryable: boolean, attempts: number }
      | { __typename: 'StockDeducted', deductionId: string, replayed: boolean, items: Array<{ sku: string, quantity: number, remaining: number }> }
      | { __typename: 'UpstreamRejected', httpStatus: number | null, code: string | null, target: Target, message: string, retryable: boolean, attempts: number }
      | { __typename: 'UpstreamTimeout', timeoutMs: number, target: Target, message: string, retryable: boolean, attempts: number }
      | { __typename: 'UpstreamUnavailable', httpStatus: number | null, retryAfterMs: number | null, target: Target, message: string, retryable: boolean, attempts: number }
    , crm:
      | { __typename: 'ActivityLogged', activityId: string, loggedAt: string, replayed: boolean }
      | { __typename: 'CircuitOpen', retryAfterMs: number | null, target: Target, message: string, retryable: boolean, attempts: number }
      | { __typename: 'DeliveryQueued', target: Target, deliveryId: string, attempts: number, nextAttemptAt: string | null, lastFailure: string | null }
      | { __typename: 'InvalidUpstreamResponse', httpStatus: number | null, target: Target, message: string, retryable: boolean, attempts: number }
      | { __typename: 'RateLimited', retryAfterMs: number | null, target: Target, message: string, retryable: boolean, attempts: number }
      | { __typename: 'UpstreamRejected', httpStatus: number | null, code: string | null, target: Target, message: string, retryable: boolean, attempts: number }
      | { __typename: 'UpstreamTimeout', timeoutMs: number, target: Target, message: string, retryable: boolean, attempts: number }
      | { __typename: 'UpstreamUnavailable', httpStatus: number | null, retryAfterMs: number | null, target: Target, message: string, retryable: boolean, attempts: number }
     } };

export type QueuedDeliveryDetailsFragment = { target: Target, deliveryId: string, attempts: number, nextAttemptAt: string | null, lastFailure: string | null };

type TargetFailureDetails_CircuitOpen_Fragment = { retryAfterMs: number | null, target: Target, message: string, retryable: boolean, attempts: number };

type TargetFailureDetails_InvalidUpstreamResponse_Fragment = { httpStatus: number | null, target: Target, message: string, retryable: boolean, attempts: number };

type TargetFailureDetails_RateLimited_Fragment = { retryAfterMs: number | null, target: Target, message: string, retryable: boolean, attempts: number };

type TargetFailureDetails_UpstreamRejected_Fragment = { httpStatus: number | null, code: string | null, target: Target, message: string, retryable: boolean, attempts: number };

type TargetFailureDetails_UpstreamTimeout_Fragment = { timeoutMs: number, target: Target, message: string, retryable: boolean, attempts: number };

type TargetFailureDetails_UpstreamUnavailable_Fragment = { httpStatus: number | null, retryAfterMs: number | null, target: Target, message: string, retryable: boolean, attempts: number };

export type TargetFailureDetailsFragment =
  | TargetFailureDetails_CircuitOpen_Fragment
  | TargetFailureDetails_InvalidUpstreamResponse_Fragment
  | TargetFailureDetails_RateLimited_Fragment
  | TargetFailureDetails_UpstreamRejected_Fragment
  | TargetFailureDetails_UpstreamTimeout_Fragment
  | TargetFailureDetails_UpstreamUnavailable_Fragment
;

export const QueuedDeliveryDetailsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"QueuedDeliveryDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeliveryQueued"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryId"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastFailure"}}]}}]} as unknown as DocumentNode<QueuedDeliveryDetailsFragment, unknown>;
export const TargetFailureDetailsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TargetFailureDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TargetFailure"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpstreamRejected"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpstreamUnavailable"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}},{"kind":"Field","name":{"kind":"Name","value":"retryAfterMs"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpstreamTimeout"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"timeoutMs"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidUpstreamResponse"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CircuitOpen"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterMs"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterMs"}}]}}]}}]} as unknown as DocumentNode<TargetFailureDetailsFragment, unknown>;
export const PlaceOrderDocument = {"__meta__":{"hash":"sha256:b80f3ad13f3710939dd36ebeb3141d4416ee88ff458da69cf2d66e19b2923c89"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PlaceOrder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PlaceOrderInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"options"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"FanoutOptions"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"placeOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"options"},"value":{"kind":"Variable","name":{"kind":"Name","value":"options"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orderId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"inventory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StockDeducted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deductionId"}},{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"TargetFailureDetails"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"QueuedDeliveryDetails"}}]}},{"kind":"Field","name":{"kind":"Name","value":"crm"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ActivityLogged"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activityId"}},{"kind":"Field","name":{"kind":"Name","value":"loggedAt"}},{"kind":"Field","name":{"kind":"Name","value":"replayed"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"TargetFailureDetails"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"QueuedDeliveryDetails"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TargetFailureDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TargetFailure"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpstreamRejected"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpstreamUnavailable"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}},{"kind":"Field","name":{"kind":"Name","value":"retryAfterMs"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpstreamTimeout"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"timeoutMs"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidUpstreamResponse"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CircuitOpen"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterMs"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterMs"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"QueuedDeliveryDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeliveryQueued"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryId"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastFailure"}}]}}]} as unknown as DocumentNode<PlaceOrderMutation, PlaceOrderMutationVariables>;