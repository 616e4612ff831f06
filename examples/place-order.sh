#!/usr/bin/env bash
# Places one order: the gateway deducts stock in the Inventory API and logs the activity in the CRM API, concurrently.
set -euo pipefail
source "$(dirname "$0")/common.sh"

variables=$(printf '{"input": {"orderId": "%s", "customerId": "CUST-1", "items": [
  {"sku": "SKU-RED-MUG", "quantity": 2}, {"sku": "SKU-BLUE-PEN", "quantity": 1}]}}' "$(new_order_id)")
post_graphql "$(graphql_body "$PLACE_ORDER" "$variables")"
