// Fault plan of a demo upstream: which requests get latency or a fault (scripted queue, then random).

interface FaultBase {
  /**
   * Apply the request for real first (stock deducted, activity logged), then answer with the fault:
   * the "it worked but the client never heard" case that idempotency keys exist for.
   * @default false
   */
  afterApply?: boolean;
}

/** Answer with this status; the body defaults to `{ error: 'injected_fault', message }`. */
export interface StatusFault extends FaultBase {
  kind: 'status';
  status: number;
  /** Sent as the `Retry-After` header (seconds or an HTTP date). */
  retryAfter?: string;
  body?: unknown;
}

/** Reset the connection once the request has arrived: no response at all. */
export interface DropFault extends FaultBase {
  kind: 'drop';
}

/** The endpoint's success status with a body that breaks the contract (batch: wrong `results` length). */
export interface MalformedFault extends FaultBase {
  kind: 'malformed';
}

/** The endpoint's success status with a body that is not JSON at all. */
export interface InvalidJsonFault extends FaultBase {
  kind: 'invalidJson';
}

/** Never answer (until the server closes). */
export interface HangFault extends FaultBase {
  kind: 'hang';
}

/** One way for a demo upstream to misbehave on one request. */
export type Fault = StatusFault | DropFault | MalformedFault | InvalidJsonFault | HangFault;

/** Standing fault settings; `set` replaces them as a whole. */
export interface FaultSettings {
  /** Delay before every answer (faults included); replaces the server's `latencyMs` option while set. */
  latencyMs?: number;
  /** Share of requests, 0..1, that get `failure`. @default 1 when `failure` is given, else 0 */
  failureRate?: number;
  /** The fault picked requests get. @default { kind: 'status', status: 503 } */
  failure?: Fault;
  /** Route patterns (`/inventory/stock/:sku`) or concrete paths the settings and queue apply to. @default every contract route */
  paths?: string[];
}

/** A copy of the plan's state, e.g. for the admin route. */
export interface FaultPlanSnapshot {
  readonly settings: FaultSettings;
  readonly queued: readonly Fault[];
}

/** The fault knobs of a demo upstream. */
export interface FaultPlan {
  /** Replaces the standing settings (the queue is kept). */
  set(settings: FaultSettings): void;
  /** The next matching requests get these faults, in order, before any standing setting applies. */
  enqueue(...faults: Fault[]): void;
  /** Clears settings and queue: back to the creation-time latency and no faults. */
  reset(): void;
  /** The current settings and queued faults. */
  snapshot(): FaultPlanSnapshot;
  /** Picks the fault for one request (consuming the queue), or undefined for a normal answer. */
  pick(route: string, path: string): Fault | undefined;
  /** The latency for one request, in milliseconds. */
  latencyFor(route: string, path: string): number;
}

const DEFAULT_FAILURE: Fault = { kind: 'status', status: 503 };

/**
 * Creates a fault plan with no faults.
 * @param baseLatencyMs latency when the settings give none. @default 0
 */
export function createFaultPlan(baseLatencyMs = 0): FaultPlan {
  let settings: FaultSettings = {};
  let queue: Fault[] = [];

  // Private: `paths` narrows everything the plan does, queued faults included.
  const matches = (route: string, path: string): boolean =>
    settings.paths === undefined || settings.paths.includes(route) || settings.paths.includes(path);

  return {
    set(next) {
      settings = { ...next };
    },
    enqueue(...faults) {
      queue.push(...faults);
    },
    reset() {
      settings = {};
      queue = [];
    },
    snapshot() {
      return { settings: { ...settings }, queued: [...queue] };
    },
    pick(route, path) {
      if (!matches(route, path)) return undefined;
      const queued = queue.shift();
      if (queued !== undefined) return queued;
      const rate = settings.failureRate ?? (settings.failure === undefined ? 0 : 1);
      if (rate <= 0 || Math.random() >= rate) return undefined;
      return settings.failure ?? DEFAULT_FAILURE;
    },
    latencyFor(route, path) {
      if (settings.latencyMs === undefined || !matches(route, path)) return baseLatencyMs;
      return settings.latencyMs;
    },
  };
}
