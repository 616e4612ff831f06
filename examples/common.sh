# Sourced by the example scripts: the gateway URL, the PlaceOrder operation, and helpers that send a request and print the answer.
# Needs bash, curl (7.76+ for --fail-with-body) and node (already there: the gateway runs on it).

GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:4000/graphql}"
CURL=(curl --silent --show-error --fail-with-body --max-time 15)

# The operation every placeOrder example sends (the selection a frontend would make).
PLACE_ORDER=$(
  cat <<'GRAPHQL'
mutation PlaceOrder($input: PlaceOrderInput!, $options: FanoutOptions) {
  placeOrder(input: $input, options: $options) {
    orderId
    status
    inventory {
      __typename
      ... on StockDeducted { deductionId replayed items { sku quantity remaining } }
      ... on TargetFailure { message retryable attempts }
      ... on UpstreamRejected { httpStatus code }
    }
    crm {
      __typename
      ... on ActivityLogged { activityId replayed }
      ... on TargetFailure { message retryable attempts }
    }
  }
}
GRAPHQL
)

# new_order_id: a fresh order id, so a rerun is a new order rather than a replay of the last one.
new_order_id() {
  printf 'order-%s-%s' "$(date +%s)" "$RANDOM"
}

# graphql_body QUERY [VARIABLES_JSON]: the JSON request body.
graphql_body() {
  node -e 'process.stdout.write(JSON.stringify({ query: process.argv[1], variables: JSON.parse(process.argv[2]) }))' \
    "$1" "${2:-null}"
}

# pretty: indents the JSON on stdin, keeping short objects on one line (prints it unchanged when it is not JSON).
# Development-mode stack traces (errors[].extensions.stacktrace) are left out, and a line says so.
pretty() {
  node -e '
    const inline = (value) =>
      Array.isArray(value) ? `[${value.map(inline).join(", ")}]`
      : value !== null && typeof value === "object"
        ? `{ ${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${inline(item)}`).join(", ")} }`
        : JSON.stringify(value);
    const format = (value, indent) => {
      const flat = inline(value);
      if (value === null || typeof value !== "object" || indent.length + flat.length <= 100) return flat;
      const inner = indent + "  ";
      const lines = Array.isArray(value)
        ? value.map((item) => inner + format(item, inner))
        : Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${format(item, inner)}`);
      const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
      return `${open}\n${lines.join(",\n")}\n${indent}${close}`;
    };
    let text = "";
    process.stdin.on("data", (chunk) => { text += chunk; });
    process.stdin.on("end", () => {
      let answer;
      try { answer = JSON.parse(text); } catch { process.stdout.write(text); return; }
      let traces = 0;
      for (const error of answer?.errors ?? []) {
        if (error?.extensions?.stacktrace) { delete error.extensions.stacktrace; traces += 1; }
      }
      console.log(format(answer, ""));
      if (traces > 0) console.log("# (extensions.stacktrace left out: the gateway adds it in development only)");
    });'
}

# post_json URL BODY [curl args...]: POSTs BODY, prints the status line, the headers worth seeing and the
# indented answer; returns curl's exit status (22 for an HTTP error status, whose body is still printed).
post_json() {
  local url=$1 body=$2
  shift 2
  local headers response status=0
  headers=$(mktemp)
  response=$("${CURL[@]}" --dump-header "$headers" -H 'content-type: application/json' \
    --data-binary "$body" "$@" "$url") || status=$?
  head -n 1 "$headers" | tr -d '\r'
  grep -i -E '^(idempotent-replayed|www-authenticate|retry-after):' "$headers" | tr -d '\r' || true
  rm -f "$headers"
  printf '%s' "$response" | pretty
  return "$status"
}

# post_graphql BODY [curl args...]: post_json to the gateway.
post_graphql() {
  post_json "$GATEWAY_URL" "$@"
}

# demo_url TARGET: the URL of a demo upstream (INVENTORY or CRM), read from Query.targets.
demo_url() {
  local answer
  answer=$("${CURL[@]}" -H 'content-type: application/json' \
    --data-binary '{"query":"{ targets { target url } }"}' "$GATEWAY_URL")
  node -e '
    const target = JSON.parse(process.argv[1]).data.targets.find((t) => t.target === process.argv[2]);
    if (!target) { console.error(`no ${process.argv[2]} target in Query.targets`); process.exit(1); }
    process.stdout.write(target.url);' "$answer" "$1"
}
