#!/usr/bin/env bash
# options.deadlineMs bounds the whole mutation: a target that does not answer in time is an UpstreamTimeout,
# and the other target's result still arrives.
# Needs the embedded demo upstreams (npm start without upstream URLs): it asks the demo CRM to hang once.
set -euo pipefail
source "$(dirname "$0")/common.sh"

crm=$(demo_url CRM)
echo "# the demo CRM never answers its next request"
"${CURL[@]}" -o /dev/null -X POST "$crm/__demo/faults/queue" -H 'content-type: application/json' \
  --data-binary '{"faults": [{"kind": "hang"}]}'

variables=$(printf '{"input": {"orderId": "%s", "customerId": "CUST-7", "items": [{"sku": "SKU-RED-MUG", "quantity": 1}]},
  "options": {"deadlineMs": 300}}' "$(new_order_id)")
post_graphql "$(graphql_body "$PLACE_ORDER" "$variables")"
