// Outcome<T>: how every order × target settles — a value, never a thrown error.
import type { Failure } from './failure.js';

/** A success carrying its value, or a failure saying what happened. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: Failure };

export function succeeded<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function failed<T = never>(failure: Failure): Outcome<T> {
  return { ok: false, failure };
}
