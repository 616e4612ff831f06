#!/usr/bin/env bash
# A failing CRM opens its circuit breaker: after 5 failed calls the gateway stops calling it and answers
# CircuitOpen at once, while the Inventory writes go on. Heals the CRM at the end.
# Needs the embedded demo upstreams (npm start without upstream URLs), with the default breaker settings.
set -euo pipefail
source "$(dirname "$0")/common.sh"

crm=$(demo_url CRM)
echo "# every demo CRM request now answers 503"
"${CURL[@]}" -o /dev/null -X PUT "$crm/__demo/faults" -H 'content-type: application/json' \
  --data-binary '{"failure": {"kind": "status", "status": 503}}'
trap '"${CURL[@]}" -o /dev/null -X DELETE "$crm/__demo/faults"' EXIT

query=$(
  cat <<'GRAPHQL'
mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    status
    crm { __typename ... on TargetFailure { attempts } ... on CircuitOpen { retryAfterMs } }
  }
}
GRAPHQL
)
for attempt in 1 2 3 4 5 6; do
  variables=$(printf '{"input": {"orderId": "%s", "customerId": "CUST-8", "items": [{"sku": "SKU-RED-MUG", "quantity": 1}]}}' \
    "$(new_order_id)")
  answer=$("${CURL[@]}" -H 'content-type: application/json' --data-binary "$(graphql_body "$query" "$variables")" "$GATEWAY_URL")
  printf 'order %s: %s\n' "$attempt" "$answer"
done
echo "# on exit the CRM is healed; once retryAfterMs has passed, one probe call closes the circuit"
