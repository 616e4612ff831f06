// The fan-out engine for one GraphQL operation: every order goes to every target at once, batched per tick.
import DataLoader from 'dataloader';
import type { Order, SendOptions, TargetClient } from '../targets/index.js';
import type { Outcome } from '../upstream/index.js';
import { type FanoutStatus, fanoutStatus } from './fanout-status.js';

/** The targets an order fans out to, keyed by the payload field that reports each one. */
export type TargetClients = Readonly<Record<string, TargetClient<unknown>>>;

type ValueOf<C> = C extends TargetClient<infer V> ? V : never;

/** One outcome per target, keyed like the targets. */
export type TargetOutcomes<T extends TargetClients> = { readonly [K in keyof T]: Outcome<ValueOf<T[K]>> };

export interface FanoutResult<T extends TargetClients> {
  readonly orderId: string;
  readonly status: FanoutStatus;
  readonly outcomes: TargetOutcomes<T>;
  /** Milliseconds from the start of the fan-out to the slowest target's outcome. */
  readonly durationMs: number;
}

export interface FanoutSession<T extends TargetClients> {
  /** Sends the order to every target concurrently; settles when each has an outcome. Never rejects for upstream failures. */
  placeOrder(order: Order): Promise<FanoutResult<T>>;
}

/**
 * Creates a session with one DataLoader per target. Orders placed in the same tick reach each target
 * as one `send` (so one batch call); loaders never cache, since every load is a write.
 */
export function createFanoutSession<T extends TargetClients>(
  targets: T,
  options: SendOptions,
): FanoutSession<T> {
  const loaders = Object.entries(targets).map(
    ([key, target]) =>
      [
        key,
        new DataLoader<Order, Outcome<unknown>>((orders) => target.send(orders, options), { cache: false }),
      ] as const,
  );
  return {
    async placeOrder(order) {
      const startedAt = performance.now();
      const settled = await Promise.all(
        loaders.map(async ([key, loader]) => [key, await loader.load(order)] as const),
      );
      const durationMs = performance.now() - startedAt;
      return {
        orderId: order.orderId,
        status: fanoutStatus(settled.map(([, outcome]) => outcome)),
        // The entries were built from `targets`, so the keys and value types match TargetOutcomes<T>.
        outcomes: Object.fromEntries(settled) as TargetOutcomes<T>,
        durationMs,
      };
    },
  };
}
