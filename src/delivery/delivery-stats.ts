// Builds DeliveryStats from raw counts and due times, the same way for every queue implementation.
import {
  DELIVERY_STATES,
  type DeliveryState,
  type DeliveryStats,
  type TargetDeliveryStats,
} from './delivery-queue.js';

export interface StateCount {
  readonly target: string;
  readonly state: DeliveryState;
  readonly count: number;
}

export interface OldestDue {
  readonly target: string;
  readonly dueAt: number;
}

/** Targets sorted by id, every state present (0 when none); lag is `now` minus the oldest due time. */
export function buildDeliveryStats(
  counts: readonly StateCount[],
  oldestDue: readonly OldestDue[],
  now: number,
): DeliveryStats {
  const byTarget = new Map<string, { counts: Record<DeliveryState, number>; dueAt: number | null }>();
  const entry = (target: string) => {
    let stats = byTarget.get(target);
    if (!stats) {
      const zero = Object.fromEntries(DELIVERY_STATES.map((state) => [state, 0])) as Record<
        DeliveryState,
        number
      >;
      stats = { counts: zero, dueAt: null };
      byTarget.set(target, stats);
    }
    return stats;
  };
  for (const { target, state, count } of counts) entry(target).counts[state] = count;
  for (const { target, dueAt } of oldestDue) entry(target).dueAt = dueAt;
  const targets: TargetDeliveryStats[] = [...byTarget.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([target, { counts, dueAt }]) => ({
      target,
      counts,
      oldestDueAt: dueAt,
      lagMs: dueAt === null ? 0 : Math.max(0, now - dueAt),
    }));
  return { targets, lagMs: Math.max(0, ...targets.map((target) => target.lagMs)) };
}
