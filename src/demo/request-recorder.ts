// Request recording for the demo upstreams: a bounded log of what arrived plus unbounded per-route counts.
import type { IncomingHttpHeaders } from 'node:http';

/** One request as a demo upstream received it. */
export interface RecordedRequest {
  readonly method: string;
  /** The URL path without the query string, e.g. `/inventory/stock/SKU-RED-MUG`. */
  readonly path: string;
  /** The route pattern that matched, e.g. `/inventory/stock/:sku`. */
  readonly route: string;
  /** The request headers as Node parsed them (lower-case names); shared, not copied. */
  readonly headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, filled in once the body has been read (undefined when there is none). */
  body: unknown;
  /** `Date.now()` when the request arrived. */
  readonly receivedAt: number;
}

/** The recording side of a demo upstream. */
export interface RequestRecorder {
  /** Records the arrival of a request and returns the entry, whose `body` is set later. */
  record(method: string, route: string, url: string, headers: IncomingHttpHeaders): RecordedRequest;
  /** The most recent requests, oldest first, at most `limit` of them. */
  readonly requests: RecordedRequest[];
  /** Requests ever received for a route pattern, or for every route when `route` is omitted. */
  count(route?: string): number;
  /** Requests ever received, per route pattern. */
  countsByRoute(): Record<string, number>;
  /** Forgets recorded requests and resets the counts. */
  clear(): void;
}

/**
 * Creates a recorder that keeps the last `limit` requests and counts every request per route.
 * @param limit how many requests to keep; older ones are dropped in amortised O(1).
 */
export function createRequestRecorder(limit: number): RequestRecorder {
  const kept: RecordedRequest[] = [];
  const counts = new Map<string, number>();
  let total = 0;

  // Private: trimming lazily, in chunks, keeps the per-request cost a push.
  const trim = (): void => {
    if (kept.length > limit) kept.splice(0, kept.length - limit);
  };

  return {
    record(method, route, url, headers) {
      const queryAt = url.indexOf('?');
      const entry: RecordedRequest = {
        method,
        path: queryAt === -1 ? url : url.slice(0, queryAt),
        route,
        headers,
        body: undefined,
        receivedAt: Date.now(),
      };
      kept.push(entry);
      if (kept.length >= limit * 2) trim();
      counts.set(route, (counts.get(route) ?? 0) + 1);
      total += 1;
      return entry;
    },
    get requests() {
      trim();
      return kept;
    },
    count(route) {
      return route === undefined ? total : (counts.get(route) ?? 0);
    },
    countsByRoute: () => Object.fromEntries(counts),
    clear() {
      kept.length = 0;
      counts.clear();
      total = 0;
    },
  };
}
