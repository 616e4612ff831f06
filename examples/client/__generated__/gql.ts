/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation PlaceOrder($input: PlaceOrderInput!, $options: FanoutOptions) {\n  placeOrder(input: $input, options: $options) {\n    orderId\n    status\n    durationMs\n    inventory {\n      __typename\n      ... on StockDeducted {\n        deductionId\n        replayed\n        items {\n          sku\n          quantity\n          remaining\n        }\n      }\n      ...TargetFailureDetails\n      ...QueuedDeliveryDetails\n    }\n    crm {\n      __typename\n      ... on ActivityLogged {\n        activityId\n        loggedAt\n        replayed\n      }\n      ...TargetFailureDetails\n      ...QueuedDeliveryDetails\n    }\n  }\n}\n\nfragment QueuedDeliveryDetails on DeliveryQueued {\n  target\n  deliveryId\n  attempts\n  nextAttemptAt\n  lastFailure\n}\n\nfragment TargetFailureDetails on TargetFailure {\n  target\n  message\n  retryable\n  attempts\n  ... on UpstreamRejected {\n    httpStatus\n    code\n  }\n  ... on UpstreamUnavailable {\n    httpStatus\n    retryAfterMs\n  }\n  ... on UpstreamTimeout {\n    timeoutMs\n  }\n  ... on InvalidUpstreamResponse {\n    httpStatus\n  }\n  ... on CircuitOpen {\n    retryAfterMs\n  }\n  ... on RateLimited {\n    retryAfterMs\n  }\n}": typeof types.PlaceOrderDocument,
};
const documents: Documents = {
    "mutation PlaceOrder($input: PlaceOrderInput!, $options: FanoutOptions) {\n  placeOrder(input: $input, options: $options) {\n    orderId\n    status\n    durationMs\n    inventory {\n      __typename\n      ... on StockDeducted {\n        deductionId\n        replayed\n        items {\n          sku\n          quantity\n          remaining\n        }\n      }\n      ...TargetFailureDetails\n      ...QueuedDeliveryDetails\n    }\n    crm {\n      __typename\n      ... on ActivityLogged {\n        activityId\n        loggedAt\n        replayed\n      }\n      ...TargetFailureDetails\n      ...QueuedDeliveryDetails\n    }\n  }\n}\n\nfragment QueuedDeliveryDetails on DeliveryQueued {\n  target\n  deliveryId\n  attempts\n  nextAttemptAt\n  lastFailure\n}\n\nfragment TargetFailureDetails on TargetFailure {\n  target\n  message\n  retryable\n  attempts\n  ... on UpstreamRejected {\n    httpStatus\n    code\n  }\n  ... on UpstreamUnavailable {\n    httpStatus\n    retryAfterMs\n  }\n  ... on UpstreamTimeout {\n    timeoutMs\n  }\n  ... on InvalidUpstreamResponse {\n    httpStatus\n  }\n  ... on CircuitOpen {\n    retryAfterMs\n  }\n  ... on RateLimited {\n    retryAfterMs\n  }\n}": types.PlaceOrderDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PlaceOrder($input: PlaceOrderInput!, $options: FanoutOptions) {\n  placeOrder(input: $input, options: $options) {\n    orderId\n    status\n    durationMs\n    inventory {\n      __typename\n      ... on StockDeducted {\n        deductionId\n        replayed\n        items {\n          sku\n          quantity\n          remaining\n        }\n      }\n      ...TargetFailureDetails\n      ...QueuedDeliveryDetails\n    }\n    crm {\n      __typename\n      ... on ActivityLogged {\n        activityId\n        loggedAt\n        replayed\n      }\n      ...TargetFailureDetails\n      ...QueuedDeliveryDetails\n    }\n  }\n}\n\nfragment QueuedDeliveryDetails on DeliveryQueued {\n  target\n  deliveryId\n  attempts\n  nextAttemptAt\n  lastFailure\n}\n\nfragment TargetFailureDetails on TargetFailure {\n  target\n  message\n  retryable\n  attempts\n  ... on UpstreamRejected {\n    httpStatus\n    code\n  }\n  ... on UpstreamUnavailable {\n    httpStatus\n    retryAfterMs\n  }\n  ... on UpstreamTimeout {\n    timeoutMs\n  }\n  ... on InvalidUpstreamResponse {\n    httpStatus\n  }\n  ... on CircuitOpen {\n    retryAfterMs\n  }\n  ... on RateLimited {\n    retryAfterMs\n  }\n}"): (typeof documents)["mutation PlaceOrder($input: PlaceOrderInput!, $options: FanoutOptions) {\n  placeOrder(input: $input, options: $options) {\n    orderId\n    status\n    durationMs\n    inventory {\n      __typename\n      ... on StockDeducted {\n        deductionId\n        replayed\n        items {\n          sku\n          quantity\n          remaining\n        }\n      }\n      ...TargetFailureDetails\n      ...QueuedDeliveryDetails\n    }\n    crm {\n      __typename\n      ... on ActivityLogged {\n        activityId\n        loggedAt\n        replayed\n      }\n      ...TargetFailureDetails\n      ...QueuedDeliveryDetails\n    }\n  }\n}\n\nfragment QueuedDeliveryDetails on DeliveryQueued {\n  target\n  deliveryId\n  attempts\n  nextAttemptAt\n  lastFailure\n}\n\nfragment TargetFailureDetails on TargetFailure {\n  target\n  message\n  retryable\n  attempts\n  ... on UpstreamRejected {\n    httpStatus\n    code\n  }\n  ... on UpstreamUnavailable {\n    httpStatus\n    retryAfterMs\n  }\n  ... on UpstreamTimeout {\n    timeoutMs\n  }\n  ... on InvalidUpstreamResponse {\n    httpStatus\n  }\n  ... on CircuitOpen {\n    retryAfterMs\n  }\n  ... on RateLimited {\n    retryAfterMs\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;