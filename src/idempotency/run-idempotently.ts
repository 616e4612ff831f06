// Runs a mutation once per idempotency key: repeats replay the stored payload, duplicates in flight wait.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'safe-stable-stringify';
import { type Deadline, remainingMs } from '../upstream/index.js';
import type { IdempotencyStore } from './idempotency-store.js';

/** The key was used before with a different request. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
}

/** A request with the same key is still running and did not finish before this one's deadline. */
export class IdempotencyKeyInProgressError extends Error {
  override readonly name = 'IdempotencyKeyInProgressError';
}

export interface IdempotentRun<T> {
  /** Who sent it (keys are scoped per client) and the key it sent. */
  readonly client: string;
  readonly key: string;
  /** Everything that makes the request what it is (operation and arguments); hashed, never stored raw. */
  readonly request: unknown;
  readonly deadline: Deadline;
  /** How long a completed payload is replayed. */
  readonly ttlMs: number;
  readonly work: () => Promise<T>;
  /** Whether the payload is final; a payload that a retry could improve is not stored. */
  readonly isFinal: (payload: T) => boolean;
  /** Told when storing a finished payload failed; the payload is still returned (upstream keys prevent duplicates on a repeat). */
  readonly onStoreError?: (error: unknown) => void;
}

const POLL_MS = 20;
/** A pending claim outlives its deadline by this much, then expires so a crashed owner cannot block the key. */
const PENDING_GRACE_MS = 5_000;

/**
 * @throws IdempotencyKeyReusedError, IdempotencyKeyInProgressError; errors from the store or `work`
 */
export async function runIdempotently<T>(store: IdempotencyStore, run: IdempotentRun<T>): Promise<T> {
  const key = digest(`${run.client}\u0000${run.key}`);
  // Sorted keys: the same request always has the same fingerprint, whatever order its fields came in.
  const fingerprint = digest(stringify(run.request) ?? 'null');
  for (;;) {
    const existing = await store.claim(key, fingerprint, remainingMs(run.deadline) + PENDING_GRACE_MS);
    if (!existing) return runAsOwner(store, run, key, fingerprint);
    if (existing.fingerprint !== fingerprint) {
      throw new IdempotencyKeyReusedError(
        'this idempotency key was already used with a different request; use a new key for a new request',
      );
    }
    if (existing.state === 'completed') return existing.payload as T;
    if (remainingMs(run.deadline) <= 0) {
      throw new IdempotencyKeyInProgressError(
        'a request with this idempotency key is still running; repeat it later for its answer',
      );
    }
    await sleep(Math.min(POLL_MS, remainingMs(run.deadline)));
  }
}

async function runAsOwner<T>(
  store: IdempotencyStore,
  run: IdempotentRun<T>,
  key: string,
  fingerprint: string,
): Promise<T> {
  let payload: T;
  try {
    payload = await run.work();
  } catch (error) {
    await store.release(key, fingerprint).catch(() => undefined);
    throw error;
  }
  const settle = run.isFinal(payload)
    ? store.complete(key, fingerprint, payload, run.ttlMs)
    : store.release(key, fingerprint);
  await settle.catch((error: unknown) => run.onStoreError?.(error));
  return payload;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
