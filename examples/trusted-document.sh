#!/usr/bin/env bash
# Trusted documents: the client sends a manifest document's id instead of its text, and any other query is refused.
# Needs a gateway started with FANOUT_TRUSTED_DOCUMENTS=examples/client/__generated__/persisted-documents.json.
set -euo pipefail
source "$(dirname "$0")/common.sh"
manifest="${MANIFEST:-$(dirname "$0")/client/__generated__/persisted-documents.json}"

document_id=$(node -e '
  const manifest = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const id = Object.keys(manifest).find((key) => manifest[key].includes("mutation PlaceOrder("));
  if (!id) { console.error("no PlaceOrder document in the manifest"); process.exit(1); }
  process.stdout.write(id);' "$manifest")
variables=$(printf '{"input": {"orderId": "%s", "customerId": "CUST-10", "items": [{"sku": "SKU-RED-MUG", "quantity": 1}]}}' \
  "$(new_order_id)")

echo "# the PlaceOrder document by its id: $document_id"
post_graphql "$(printf '{"documentId": "%s", "variables": %s}' "$document_id" "$variables")"
echo "# a query that is not in the manifest (curl exits 22 on the 400, which is the point here)"
post_graphql '{"query": "{ targets { target url } }"}' || [[ $? == 22 ]]
