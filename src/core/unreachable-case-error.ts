// UnreachableCaseError: closes an exhaustive switch over a union.

/** Closes an exhaustive switch: compiling fails when a case is missing, running fails loudly. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}
