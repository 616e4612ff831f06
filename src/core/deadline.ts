// A deadline: the moment a mutation's work must be done by, shared by every call made for it.

export interface Deadline {
  /** Epoch milliseconds after which no answer is waited for. */
  readonly expiresAt: number;
}

export function deadlineIn(ms: number, now = Date.now()): Deadline {
  return { expiresAt: now + ms };
}

/** Milliseconds left before the deadline, never negative. */
export function remainingMs(deadline: Deadline, now = Date.now()): number {
  return Math.max(0, deadline.expiresAt - now);
}
