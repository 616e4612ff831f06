// Runs a mutation once per idempotency key: repeats replay the final payload, duplicates in flight wait for it.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Deadline, remainingMs } from '../core/index.js';
import {
  asIdempotencyStoreError,
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  IdempotencyStoreError,
} from './idempotency-errors.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { idempotencyStoreKey, requestFingerprint } from './request-fingerprint.js';
import { withTimeout } from './with-timeout.js';

export interface IdempotentRun<T> {
  /** Who sent it: keys are scoped per client. */
  readonly client: string;
  readonly key: string;
  /** Everything that makes the request what it is (operation and arguments); hashed, never stored raw. */
  readonly request: unknown;
  /** Bounds every store call made for the request, and how long a duplicate waits. */
  readonly deadline: Deadline;
  /** How long the key's record (in any state) is kept. */
  readonly ttlMs: number;
  /** Runs the mutation; `previous` is the retryable payload of an earlier run of this key, if any. */
  readonly work: (previous: T | undefined) => Promise<T>;
  /** Whether the payload is final (stored as completed) or retryable (stored as retryable). */
  readonly isFinal: (payload: T) => boolean;
  /** Told when recording a finished run failed (its payload, or that it threw); the outcome is still returned. */
  readonly onStoreError?: (error: unknown) => void;
}

export interface IdempotentResult<T> {
  readonly payload: T;
  /** True when the payload came from the store without running work in this request. */
  readonly replayed: boolean;
}

const POLL_MS = 25;
/** A lease outlives the owner's deadline by this much, so a crashed owner blocks its key only briefly. */
const LEASE_GRACE_MS = 5_000;

/**
 * Runs `work` at most once at a time per (client, key), replays a final payload, re-runs a retryable one
 * with the earlier payload, and makes a duplicate in flight wait for the owner's payload.
 * @throws IdempotencyKeyReusedError, IdempotencyKeyInProgressError, IdempotencyStoreError (the store
 *   failed or did not answer before the deadline), or whatever `work` threw, unchanged
 */
export async function runIdempotently<T>(
  store: IdempotencyStore,
  run: IdempotentRun<T>,
): Promise<IdempotentResult<T>> {
  const key = idempotencyStoreKey(run.client, run.key);
  const fingerprint = requestFingerprint(run.request);
  const owner = randomUUID();
  for (;;) {
    const claim = await beforeDeadline(
      store.claim(key, {
        fingerprint,
        owner,
        leaseMs: remainingMs(run.deadline) + LEASE_GRACE_MS,
        ttlMs: run.ttlMs,
      }),
      run.deadline,
      'claim',
    );
    switch (claim.outcome) {
      case 'claimed':
        return runAsOwner(store, run, key, { fingerprint, owner }, claim.previous as T | undefined);
      case 'completed':
        return { payload: claim.payload as T, replayed: true };
      case 'reused':
        throw reusedError();
      case 'in-progress': {
        const settled = await waitForOwner<T>(store, key, fingerprint, run.deadline);
        if (settled) return { payload: settled.payload, replayed: true };
        if (remainingMs(run.deadline) <= 0) throw inProgressError();
      }
    }
  }
}

/** Private: runs the work as the key's owner and records how it ended; work errors propagate unchanged. */
async function runAsOwner<T>(
  store: IdempotencyStore,
  run: IdempotentRun<T>,
  key: string,
  claim: { readonly fingerprint: string; readonly owner: string },
  previous: T | undefined,
): Promise<IdempotentResult<T>> {
  const finish = (state: 'completed' | 'retryable', payload?: T) =>
    store
      .finish(key, { ...claim, state, payload, ttlMs: run.ttlMs })
      .catch((error: unknown) =>
        run.onStoreError?.(
          asIdempotencyStoreError(error, 'the idempotency store failed to record a finished run'),
        ),
      );
  let payload: T;
  try {
    payload = await run.work(previous);
  } catch (error) {
    // Retryable, keeping the previous payload: a repeat re-runs; the fingerprint stays bound to the key.
    await finish('retryable');
    throw error;
  }
  await finish(run.isFinal(payload) ? 'completed' : 'retryable', payload);
  return { payload, replayed: false };
}

/**
 * Private: polls the record (a plain read, never a claim) while another request owns the key.
 * @returns the owner's payload, or undefined when this request may try to claim the key itself
 */
async function waitForOwner<T>(
  store: IdempotencyStore,
  key: string,
  fingerprint: string,
  deadline: Deadline,
): Promise<{ readonly payload: T } | undefined> {
  for (;;) {
    if (remainingMs(deadline) <= 0) throw inProgressError();
    await sleep(Math.min(POLL_MS, remainingMs(deadline)));
    // The store was healthy a moment ago: a read cut short by the deadline means the duplicate is still running.
    const record = await withTimeout(store.read(key), remainingMs(deadline), inProgressError).catch(
      (error: unknown) => {
        if (error instanceof IdempotencyKeyInProgressError) throw error;
        throw asIdempotencyStoreError(error, 'the idempotency store failed a read');
      },
    );
    if (record === undefined) return undefined;
    if (record.fingerprint !== fingerprint) throw reusedError();
    switch (record.state) {
      case 'completed':
        return { payload: record.payload as T };
      case 'retryable':
        return record.payload === undefined ? undefined : { payload: record.payload as T };
      case 'pending':
        if (record.leaseExpired) return undefined;
    }
  }
}

/** Private: a store call raced against the request's deadline; any store failure becomes IdempotencyStoreError. */
async function beforeDeadline<R>(call: Promise<R>, deadline: Deadline, what: string): Promise<R> {
  const late = () =>
    new IdempotencyStoreError(`the idempotency store did not answer the ${what} before the deadline`);
  try {
    return await withTimeout(call, remainingMs(deadline), late);
  } catch (error) {
    throw asIdempotencyStoreError(error, `the idempotency store failed a ${what}`);
  }
}

function reusedError(): IdempotencyKeyReusedError {
  return new IdempotencyKeyReusedError(
    'this idempotency key was already used with a different request; use a new key for a new request',
  );
}

function inProgressError(): IdempotencyKeyInProgressError {
  return new IdempotencyKeyInProgressError(
    'a request with this idempotency key is still running; repeat it later for its answer',
  );
}
