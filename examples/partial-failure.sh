#!/usr/bin/env bash
# One target fails and the other succeeds: PARTIALLY_SUCCEEDED, the failure says whether a retry can help,
# and resending with the same idempotency key re-runs only the target that failed.
# Needs the embedded demo upstreams (npm start without upstream URLs): it asks the demo CRM to fail.
set -euo pipefail
source "$(dirname "$0")/common.sh"

crm=$(demo_url CRM)
key="checkout-$(new_order_id)"
variables=$(printf '{"input": {"orderId": "%s", "customerId": "CUST-2", "items": [{"sku": "SKU-GREEN-TEE", "quantity": 1}]},
  "options": {"idempotencyKey": "%s"}}' "$(new_order_id)" "$key")
body=$(graphql_body "$PLACE_ORDER" "$variables")

echo "# the demo CRM answers its next 3 requests with 503 (the gateway tries 3 times)"
"${CURL[@]}" -o /dev/null -X POST "$crm/__demo/faults/queue" -H 'content-type: application/json' \
  --data-binary '{"faults": [{"kind": "status", "status": 503}, {"kind": "status", "status": 503}, {"kind": "status", "status": 503}]}'
post_graphql "$body"

echo "# the same request again, same idempotency key: only the CRM is called"
post_graphql "$body"
