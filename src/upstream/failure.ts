// Failure: what went wrong with one upstream call, as a union keyed on `kind` (see DESIGN.md's table).

interface FailureBase {
  /** A human-readable account, safe to show to clients (no credentials, no bodies). */
  readonly message: string;
  /** Whether sending the same request again could succeed without duplicating the write. */
  readonly retryable: boolean;
  /** HTTP attempts made before giving up (0 when nothing was sent). */
  readonly attempts: number;
}

/** A 4xx business or auth refusal: permanent. */
export interface RejectedFailure extends FailureBase {
  readonly kind: 'rejected';
  readonly httpStatus: number;
  readonly code?: string;
}

/** A 5xx, 408, or a connection that failed before or after the request was sent. */
export interface UnavailableFailure extends FailureBase {
  readonly kind: 'unavailable';
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  /** False only when the request provably never reached the upstream (refused, DNS, TLS). */
  readonly requestMayHaveArrived: boolean;
}

/** No complete answer within the attempt timeout. */
export interface TimeoutFailure extends FailureBase {
  readonly kind: 'timeout';
  readonly timeoutMs: number;
}

/** An answer that breaks the upstream's contract. */
export interface InvalidResponseFailure extends FailureBase {
  readonly kind: 'invalidResponse';
  readonly httpStatus?: number;
}

/** The target's breaker is open; nothing was sent. */
export interface CircuitOpenFailure extends FailureBase {
  readonly kind: 'circuitOpen';
  readonly retryAfterMs?: number;
}

/** 429 from the upstream, or the gateway's own limit for the target. */
export interface RateLimitedFailure extends FailureBase {
  readonly kind: 'rateLimited';
  readonly retryAfterMs?: number;
}

export type Failure =
  | RejectedFailure
  | UnavailableFailure
  | TimeoutFailure
  | InvalidResponseFailure
  | CircuitOpenFailure
  | RateLimitedFailure;

export type FailureKind = Failure['kind'];

/** Closes an exhaustive switch: compiling fails when a case is missing, running fails loudly. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}
