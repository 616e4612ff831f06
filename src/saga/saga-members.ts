// Which saga a write delivery belongs to: an ALL_OR_NOTHING write carries the ids of every write of its order.
import { z } from 'zod';
import type { JsonValue, NewDelivery } from '../delivery/index.js';

/**
 * The saga of one order is the set of its write deliveries, one per target; each write's payload names
 * all of them (`saga.writes`, in the registry's order), so whoever settles one write — a worker, the
 * request, a restart — finds its siblings and their compensations by id, with no other record. The
 * order fields stay as they were: a worker that reads the payload as an order ignores `saga`.
 */
const sagaSchema = z.object({
  saga: z.object({ writes: z.array(z.string().min(1).max(200)).min(1).max(64) }),
});

/** The ids of every write of the saga `payload` belongs to, or undefined for a write outside any saga. */
export function sagaWritesOf(payload: JsonValue): readonly string[] | undefined {
  const parsed = sagaSchema.safeParse(payload);
  return parsed.success ? parsed.data.saga.writes : undefined;
}

/** The writes of one order, each joined to the saga of them all. */
export function joinSaga(writes: readonly NewDelivery[]): NewDelivery[] {
  const ids = writes.map(({ id }) => id);
  return writes.map((write) => {
    if (typeof write.payload !== 'object' || write.payload === null || Array.isArray(write.payload))
      throw new Error(`write ${write.id}: its payload is not an object, so it cannot join a saga`);
    return { ...write, payload: { ...write.payload, saga: { writes: ids } } };
  });
}
