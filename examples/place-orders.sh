#!/usr/bin/env bash
# Three orders in one mutation: each target gets one call to its batch endpoint, and each order gets its own answer.
set -euo pipefail
source "$(dirname "$0")/common.sh"

query=$(
  cat <<'GRAPHQL'
mutation PlaceOrders($inputs: [PlaceOrderInput!]!) {
  placeOrders(inputs: $inputs) {
    orderId
    status
    inventory { __typename ... on UpstreamRejected { code retryable } }
    crm { __typename }
  }
}
GRAPHQL
)
variables=$(printf '{"inputs": [
  {"orderId": "%s-a", "customerId": "CUST-4", "items": [{"sku": "SKU-RED-MUG", "quantity": 1}]},
  {"orderId": "%s-b", "customerId": "CUST-5", "items": [{"sku": "SKU-LIMITED", "quantity": 5}]},
  {"orderId": "%s-c", "customerId": "CUST-6", "items": [{"sku": "SKU-GREEN-TEE", "quantity": 2}]}]}' \
  "$(new_order_id)" "$(new_order_id)" "$(new_order_id)")
post_graphql "$(graphql_body "$query" "$variables")"
