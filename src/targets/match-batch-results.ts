// Matches a batch answer's results to the orders sent, by the `orderId` each result names.

/** One item of a batch answer: what the single call would have answered. */
export interface BatchResult {
  readonly status: number;
  readonly body: unknown;
}

/** An order's result, or why none can be trusted to be its own. */
export type BatchMatch =
  | { readonly matched: true; readonly result: BatchResult }
  | { readonly matched: false; readonly problem: string };

/**
 * Both contracts put `orderId` in every success body, so a result is matched to the order it names,
 * whatever its position. Error bodies (`{ error, message }`) name no order; they are matched by
 * position only while the answer is provably in request order (same length, every named result in its
 * own place), or by elimination when exactly one result and one order are left over. An order named
 * by two results, or by none that can be placed, gets no result: the caller reports it as an
 * InvalidUpstreamResponse rather than guess, so no order is ever credited with another's write.
 */
export function matchBatchResults(
  orderIds: readonly string[],
  results: readonly BatchResult[],
): BatchMatch[] {
  const positionOf = new Map(orderIds.map((orderId, position) => [orderId, position]));
  const claimed = new Map<number, number>();
  const namedTwice = new Set<number>();
  const unnamed: number[] = [];
  let unknown = 0;
  results.forEach((result, index) => {
    const orderId = namedOrderId(result.body);
    if (orderId === undefined) {
      unnamed.push(index);
      return;
    }
    const position = positionOf.get(orderId);
    if (position === undefined) unknown++;
    else if (claimed.has(position) || namedTwice.has(position)) {
      claimed.delete(position);
      namedTwice.add(position);
    } else claimed.set(position, index);
  });
  const inRequestOrder =
    results.length === orderIds.length &&
    unknown === 0 &&
    namedTwice.size === 0 &&
    [...claimed].every(([position, index]) => position === index);
  const leftOver = orderIds.filter((_, position) => !claimed.has(position) && !namedTwice.has(position));
  const byElimination = unnamed.length === 1 && leftOver.length === 1 ? unnamed[0] : undefined;

  return orderIds.map((_, position) => {
    if (namedTwice.has(position)) return unmatched('more than one result names this order');
    const index =
      claimed.get(position) ??
      (inRequestOrder && unnamed.includes(position) ? position : undefined) ??
      (leftOver.length === 1 ? byElimination : undefined);
    const result = index === undefined ? undefined : results[index];
    if (result) return { matched: true, result };
    const counts = `${results.length} results for ${orderIds.length} orders`;
    return unmatched(`no result can be matched to this order; ${counts}, ${unknown} naming unknown orders`);
  });
}

/** Private: the order a result's body names, when it names one. */
function namedOrderId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { orderId } = body as { orderId?: unknown };
  return typeof orderId === 'string' ? orderId : undefined;
}

function unmatched(problem: string): BatchMatch {
  return { matched: false, problem };
}
