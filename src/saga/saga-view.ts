// Reads one saga's state from the queue: each write and its compensation, found by deterministic ids.
import { type Delivery, type DeliveryQueue, deliveryIdFor } from '../delivery/index.js';
import { compensationIdempotencyKey } from '../targets/index.js';

/** One target's part of the saga. */
export interface SagaMember {
  readonly writeId: string;
  /** The write's delivery; undefined once pruned (delivered or cancelled past the retention). */
  readonly write: Delivery | undefined;
  /** The compensation undoing it, when the saga rolled it back. */
  readonly compensation: Delivery | undefined;
}

export interface SagaView {
  readonly members: readonly SagaMember[];
}

/** The id of the compensation that undoes the write with `writeUpstreamKey` (compensation-delivery.ts). */
export function compensationIdOf(writeUpstreamKey: string): string {
  return deliveryIdFor('compensation', compensationIdempotencyKey(writeUpstreamKey));
}

/** Reads every write of the saga and each one's compensation, concurrently. */
export async function loadSaga(queue: DeliveryQueue, writeIds: readonly string[]): Promise<SagaView> {
  const members = await Promise.all(
    writeIds.map(async (writeId): Promise<SagaMember> => {
      const write = await queue.get(writeId);
      const compensation = write ? await queue.get(compensationIdOf(write.upstreamKey)) : undefined;
      return { writeId, write, compensation };
    }),
  );
  return { members };
}

/**
 * A saga rolls back once any of its writes failed for good — DEAD, or CANCELLED (by the saga or an
 * operator) — and stays rolled back: once a compensation exists, a write delivered later (a replay of the
 * DEAD one) is undone too, since some write was already undone. All or nothing: here, nothing.
 */
export function isRollingBack(view: SagaView): boolean {
  return view.members.some(
    ({ write, compensation }) =>
      write?.state === 'DEAD' || write?.state === 'CANCELLED' || compensation !== undefined,
  );
}
