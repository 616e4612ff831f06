// The in-process subscribers to delivery state changes: a listener that throws never breaks the queue.
import type { DeliveryUpdate } from './delivery-queue.js';

export interface UpdateListeners {
  add(listener: (update: DeliveryUpdate) => void): () => void;
  emit(updates: readonly DeliveryUpdate[]): void;
  clear(): void;
}

/** @param onListenerError told about a listener's exception. @default process.emitWarning */
export function createUpdateListeners(
  onListenerError: (error: unknown) => void = (error) =>
    process.emitWarning(`a delivery update listener threw: ${String(error)}`),
): UpdateListeners {
  const listeners = new Set<(update: DeliveryUpdate) => void>();
  return {
    add(listener) {
      // A wrapper per subscription, so the same function subscribed twice is called twice and removed once.
      const subscription = (update: DeliveryUpdate) => listener(update);
      listeners.add(subscription);
      return () => listeners.delete(subscription);
    },
    clear: () => listeners.clear(),
    emit(updates) {
      for (const update of updates)
        for (const listener of listeners) {
          try {
            listener(update);
          } catch (error) {
            onListenerError(error);
          }
        }
    },
  };
}
