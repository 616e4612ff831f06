// Failure: what went wrong with one upstream call, as a union keyed on `kind` (see DESIGN.md's table).
import { UnreachableCaseError } from './unreachable-case-error.js';

interface FailureBase {
  /** A human-readable account, safe to show to clients (no credentials, no bodies). */
  readonly message: string;
  /** Whether sending the same request again could succeed without duplicating the write. */
  readonly retryable: boolean;
  /** HTTP attempts made before giving up (0 when nothing was sent). */
  readonly attempts: number;
  /**
   * The free text of the upstream's error body (scrubbed of the target's credentials, cut to 300
   * characters), for the logs. Part of `message` only when the target is set to expose upstream messages.
   */
  readonly upstreamMessage?: string;
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

/** No complete answer in time: within the attempt timeout, or before the caller's deadline. */
export interface TimeoutFailure extends FailureBase {
  readonly kind: 'timeout';
  readonly timeoutMs: number;
  /** False only when no request was sent (the deadline passed before the attempt could start). */
  readonly requestMayHaveArrived: boolean;
  /**
   * True when the caller's deadline, not the target's attempt timeout, ended the wait: that says
   * nothing about the upstream's health, so the circuit breaker does not count it.
   */
  readonly cutByDeadline: boolean;
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

/**
 * Whether the write may have reached the upstream's handler (and so may be applied). A 429 or 503
 * answer means it was not applied (both contracts say so), and a refused connection sent nothing.
 */
export function mayHaveArrived(failure: Failure): boolean {
  switch (failure.kind) {
    case 'unavailable':
    case 'timeout':
      return failure.requestMayHaveArrived;
    case 'invalidResponse':
      return true;
    case 'rejected':
    case 'rateLimited':
    case 'circuitOpen':
      return false;
    default:
      throw new UnreachableCaseError(failure);
  }
}

/**
 * The one rule for resending a write: the failure is transient, and the resend cannot apply the
 * write twice, because the request carries an idempotency key or provably never arrived.
 * @param transient whether the failure's kind and status are worth another attempt at all
 * @param idempotent whether the request carried an Idempotency-Key (every item, for a batch)
 */
export function safeToResend(
  transient: boolean,
  requestMayHaveArrived: boolean,
  idempotent: boolean,
): boolean {
  return transient && (idempotent || !requestMayHaveArrived);
}
