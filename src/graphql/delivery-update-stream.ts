// An async iterator over a delivery queue's updates that match a predicate, with a bounded buffer for slow readers.
import type { Delivery, DeliveryQueue, DeliveryUpdate } from '../delivery/index.js';

/** Yielded once, last, when a reader fell further behind than `maxBuffered`: the stream then ends. */
export const UPDATES_OVERFLOWED = Symbol('delivery updates overflowed');

export type DeliveryStreamItem = DeliveryUpdate | typeof UPDATES_OVERFLOWED;

export interface DeliveryUpdateStreamOptions {
  /**
   * Matching updates held for a reader that has not taken them yet (a slow socket). Past it the stream
   * yields UPDATES_OVERFLOWED and ends, rather than holding memory without bound or dropping updates
   * silently. @default 1000
   */
  readonly maxBuffered?: number;
}

/**
 * Subscribes to `queue.onUpdate` now and yields each update whose delivery `matches`, in order. `return()`
 * unsubscribes at once, even while a `next()` is waiting (an async generator function would wait for the
 * next update first, keeping the listener of a closed socket alive).
 */
export function deliveryUpdateStream(
  queue: Pick<DeliveryQueue, 'onUpdate'>,
  matches: (delivery: Delivery) => boolean,
  options: DeliveryUpdateStreamOptions = {},
): AsyncIterableIterator<DeliveryStreamItem> {
  const maxBuffered = options.maxBuffered ?? 1000;
  const buffered: DeliveryStreamItem[] = [];
  let waiting: ((result: IteratorResult<DeliveryStreamItem>) => void) | undefined;
  let ended = false;

  const push = (item: DeliveryStreamItem) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: item, done: false });
    } else buffered.push(item);
  };
  const end = () => {
    ended = true;
    unsubscribe();
  };
  const unsubscribe = queue.onUpdate((update) => {
    if (ended || !matches(update.delivery)) return;
    if (buffered.length >= maxBuffered) {
      push(UPDATES_OVERFLOWED);
      end();
    } else push(update);
  });

  const finished = (): IteratorResult<DeliveryStreamItem> => ({ value: undefined, done: true });
  return {
    next() {
      const item = buffered.shift();
      if (item !== undefined) return Promise.resolve({ value: item, done: false });
      if (ended) return Promise.resolve(finished());
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return() {
      end();
      buffered.length = 0;
      waiting?.(finished());
      waiting = undefined;
      return Promise.resolve(finished());
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
