// What a target declares for HTTP: its endpoints, auth, request bodies and success decoding.
import type { Order } from './order.js';

/** What the gateway knows of a success besides its body. */
export interface AnswerMeta {
  /** The upstream answered `Idempotent-Replayed: true` (always false inside batches, which carry no headers per item). */
  readonly replayed: boolean;
  /** HTTP attempts the call took. */
  readonly attempts: number;
}

/** The decoded success of one order, or why the body breaks the contract. */
export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

/** What every target's decoded success carries: the order it answers, so answers are matched to orders. */
export interface OrderAnswer {
  readonly orderId: string;
}

/**
 * One upstream API: its endpoints, auth, bodies and decoding. The generic client handles pooling,
 * batching, timeouts and classification.
 */
export interface TargetDefinition<TValue extends OrderAnswer> {
  /** Stable lower-case id used in config, logs and metrics, e.g. `inventory`. */
  readonly id: string;
  /** Name used in failure messages, e.g. `Inventory API`. */
  readonly label: string;
  /** Path of the single-order endpoint, e.g. `/inventory/deduct`. */
  readonly singlePath: string;
  /** Path of the batch endpoint; it answers `{ results: [{ status, body }] }`, matched to orders by `body.orderId`. */
  readonly batchPath: string;
  /** Headers that authenticate every request. Never logged. */
  readonly authHeaders: Readonly<Record<string, string>>;
  /** The raw credentials in those headers: scrubbed from any text the upstream sends back. */
  readonly credentials: readonly string[];
  /** The single endpoint's body for one order. */
  singleBody(order: Order): Record<string, unknown>;
  /** Wraps the per-order bodies into the batch endpoint's envelope. */
  batchBody(items: readonly Record<string, unknown>[]): unknown;
  /** Decodes a success body; its `orderId` is checked against the order the answer is for. */
  decodeSuccess(body: unknown, meta: AnswerMeta): Decoded<TValue>;
}

/** A target's HTTP side without its identity, which its module declares once. */
export type TargetEndpoints<TValue extends OrderAnswer> = Omit<TargetDefinition<TValue>, 'id' | 'label'>;
