// Public surface of the shared vocabulary every layer uses: Outcome, Failure, Deadline, durations. It imports nothing from src.
export { type Deadline, deadlineIn, remainingMs } from './deadline.js';
export { DurationError, parseDuration, parseDurationList } from './duration.js';
export type { Failure, FailureKind } from './failure.js';
export { mayHaveArrived, safeToResend } from './failure.js';
export { failed, type Outcome, succeeded } from './outcome.js';
export { UnreachableCaseError } from './unreachable-case-error.js';
