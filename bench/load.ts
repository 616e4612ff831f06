// One autocannon run from this process, with exact (sub-millisecond) latency percentiles of 2xx answers.
import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly body: string;
  /** Extra request headers, the same on every request, e.g. an upstream's or the gateway caller's credential. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly connections: number;
  readonly durationS: number;
  /** Whether a response body is a success; the others are counted in `mismatches`. */
  readonly verifyBody: (body: string | Buffer | undefined) => boolean;
  /** Requests per second across all connections (open-ended pacing). @default unlimited: each connection sends as fast as answers come */
  readonly overallRate?: number;
  /** Ends the run early when aborted; `durationS` stays the upper bound. @default none */
  readonly signal?: AbortSignal;
}

export interface LoadResult {
  readonly connections: number;
  readonly durationS: number;
  /** Responses received (any status). */
  readonly responses: number;
  /** Requests sent, including those still in flight when the run ended. */
  readonly sent: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly non2xx: number;
  /** The non-2xx answers by status code, e.g. `{ "401": 812 }`, so a refusal is named, not just counted. */
  readonly non2xxByStatus: Readonly<Record<string, number>>;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly timeouts: number;
  /** 2xx answers whose body did not report success. */
  readonly mismatches: number;
  /** The distinct error messages seen (at most a few), so a failed run says why. */
  readonly errorKinds: readonly string[];
}

const MAX_ERROR_KINDS = 5;

/** Runs POST load against `url` for `durationS` seconds and summarises it. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  // autocannon's own histogram keeps whole milliseconds; record the exact times to compare p50 with 32 ms.
  const latencies: number[] = [];
  const non2xxByStatus: Record<string, number> = {};
  const errorKinds = new Set<string>();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.body,
        connections: options.connections,
        // autocannon ends a run on its next 1 s sample tick after `duration`; stopping just before a
        // tick makes the run last durationS instead of, at random, one second more.
        duration: Math.max(options.durationS - 0.1, 0.1),
        timeout: 10,
        verifyBody: options.verifyBody,
        idReplacement: true,
        ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
      },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve(summarise(result, { latencies, non2xxByStatus, errorKinds: [...errorKinds] }));
      },
    );
    options.signal?.addEventListener('abort', () => instance.stop(), { once: true });
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
      else non2xxByStatus[statusCode] = (non2xxByStatus[statusCode] ?? 0) + 1;
    });
    instance.on('reqError', (error: unknown) => {
      const kind =
        error instanceof Error
          ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`
          : String(error);
      if (errorKinds.size < MAX_ERROR_KINDS) errorKinds.add(kind);
    });
  });
}

/** What `runLoad` records beside autocannon's own result. */
interface Recorded {
  readonly latencies: number[];
  readonly non2xxByStatus: Record<string, number>;
  readonly errorKinds: string[];
}

function summarise(result: autocannon.Result, recorded: Recorded): LoadResult {
  const { latencies, non2xxByStatus, errorKinds } = recorded;
  latencies.sort((a, b) => a - b);
  const responses = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    connections: result.connections,
    durationS: result.duration,
    responses,
    sent: result.requests.sent,
    requestsPerSecond: responses / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    meanMs: latencies.reduce((sum, value) => sum + value, 0) / Math.max(latencies.length, 1),
    non2xx: result.non2xx,
    non2xxByStatus,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    errorKinds,
  };
}

// Private: nearest-rank percentile of sorted values; NaN when there are none, so an empty run is visible.
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] ?? Number.NaN;
}
