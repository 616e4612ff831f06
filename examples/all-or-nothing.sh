#!/usr/bin/env bash
# consistency: ALL_OR_NOTHING: when one target refuses the order, the write that applied is undone (ROLLED_BACK);
# an undo that cannot finish now is queued (ROLLBACK_PENDING); one the upstream refuses is DEAD (NEEDS_ATTENTION)
# until an operator replays it; when nothing applied, the order is FAILED.
# Needs the embedded demo upstreams (npm start without upstream URLs): CUST-99999 is unknown to the demo CRM
# (404), and the script makes the demo Inventory's restore endpoint fail for a while. Heals it at the end.
set -euo pipefail
source "$(dirname "$0")/common.sh"

query=$(
  cat <<'GRAPHQL'
mutation AllOrNothing($input: PlaceOrderInput!) {
  placeOrder(input: $input, options: { consistency: ALL_OR_NOTHING }) {
    status
    inventory { __typename ... on StockDeducted { deductionId } ... on UpstreamRejected { code } }
    crm { __typename ... on UpstreamRejected { code } }
    compensations { target state attempts writeWasApplied deliveryId }
  }
}
GRAPHQL
)

inventory=$(demo_url INVENTORY)
trap '"${CURL[@]}" -o /dev/null -X DELETE "$inventory/__demo/faults"' EXIT

# order ID CUSTOMER SKU QUANTITY: the ALL_OR_NOTHING request body for one order.
order() {
  graphql_body "$query" "$(printf '{"input": {"orderId": "%s", "customerId": "%s", "items": [{"sku": "%s", "quantity": %s}]}}' "$@")"
}

# restore_fails STATUS: the demo Inventory answers every POST /inventory/restore with STATUS.
restore_fails() {
  "${CURL[@]}" -o /dev/null -X PUT "$inventory/__demo/faults" -H 'content-type: application/json' \
    --data-binary "{\"paths\": [\"/inventory/restore\"], \"failure\": {\"kind\": \"status\", \"status\": $1}}"
}

# compensation_of ANSWER: the delivery id of the first compensation in a printed answer.
compensation_of() {
  grep -o '"deliveryId": "dlv_[^"]*"' <<<"$1" | head -n 1 | cut -d '"' -f 4
}

# show_when_delivered ID: waits (up to 30 s) until the delivery is DELIVERED, then prints it.
show_when_delivered() {
  local body answer
  body=$(graphql_body 'query ($id: ID!) { delivery(id: $id) { kind state attempts } }' "{\"id\": \"$1\"}")
  for _ in $(seq 120); do
    answer=$("${CURL[@]}" -H 'content-type: application/json' --data-binary "$body" "$GATEWAY_URL")
    if grep -q '"state":"DELIVERED"' <<<"$answer"; then break; fi
    sleep 0.25
  done
  post_graphql "$body"
}

echo "# 1. the demo CRM does not know CUST-99999 (404): the stock deduction is undone at once"
post_graphql "$(order "$(new_order_id)" CUST-99999 SKU-RED-MUG 1)"

echo "# 2. the same while the Inventory's restore answers 503: the undo is queued"
restore_fails 503
answer=$(post_graphql "$(order "$(new_order_id)" CUST-99999 SKU-RED-MUG 1)")
printf '%s\n' "$answer"
"${CURL[@]}" -o /dev/null -X DELETE "$inventory/__demo/faults"
echo "# the restore works again: the worker delivers the undo at its next attempt, about 5 s later"
show_when_delivered "$(compensation_of "$answer")"

echo "# 3. the same while the restore answers 422: the undo is refused, DEAD at once (an alert)"
restore_fails 422
answer=$(post_graphql "$(order "$(new_order_id)" CUST-99999 SKU-RED-MUG 1)")
printf '%s\n' "$answer"
"${CURL[@]}" -o /dev/null -X DELETE "$inventory/__demo/faults"
echo "# the cause is fixed: an operator replays the compensation, and the worker delivers it"
dead=$(compensation_of "$answer")
post_graphql "$(graphql_body 'mutation ($id: ID!) { replayDelivery(id: $id) { kind state attempts } }' "{\"id\": \"$dead\"}")"
show_when_delivered "$dead"

echo "# 4. both targets refuse the order (5 SKU-LIMITED, 3 on hand): nothing applied, nothing to undo"
post_graphql "$(order "$(new_order_id)" CUST-99999 SKU-LIMITED 5)"
