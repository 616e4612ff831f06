#!/usr/bin/env bash
# Callers authenticate: without a key the gateway answers 401 and sends nothing; with one the order goes through.
# Needs a gateway started with AUTH_API_KEYS holding this key's SHA-256 (npm run -s auth:hash-key), and API_KEY set.
set -euo pipefail
source "$(dirname "$0")/common.sh"
: "${API_KEY:?set API_KEY to a key printed by npm run -s auth:hash-key}"

variables=$(printf '{"input": {"orderId": "%s", "customerId": "CUST-9", "items": [{"sku": "SKU-RED-MUG", "quantity": 1}]}}' \
  "$(new_order_id)")
body=$(graphql_body "$PLACE_ORDER" "$variables")

echo "# no credentials (curl exits 22 on the 401, which is the point here)"
post_graphql "$body" || [[ $? == 22 ]]
echo "# X-API-Key"
post_graphql "$body" -H "x-api-key: $API_KEY"
