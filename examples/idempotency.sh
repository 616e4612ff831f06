#!/usr/bin/env bash
# The same idempotency key twice: the second answer is the first one replayed, nothing is written again;
# the same key with another request is refused.
set -euo pipefail
source "$(dirname "$0")/common.sh"

key="checkout-$(new_order_id)"
order_id=$(new_order_id)
variables=$(printf '{"input": {"orderId": "%s", "customerId": "CUST-3", "items": [{"sku": "SKU-BLUE-PEN", "quantity": 3}]},
  "options": {"idempotencyKey": "%s"}}' "$order_id" "$key")

echo "# first request"
post_graphql "$(graphql_body "$PLACE_ORDER" "$variables")"
echo "# the same request again (say the client never got the first answer)"
post_graphql "$(graphql_body "$PLACE_ORDER" "$variables")"

echo "# the same key with another order"
other=$(printf '{"input": {"orderId": "%s", "customerId": "CUST-3", "items": [{"sku": "SKU-BLUE-PEN", "quantity": 4}]},
  "options": {"idempotencyKey": "%s"}}' "$order_id" "$key")
post_graphql "$(graphql_body "$PLACE_ORDER" "$other")"
