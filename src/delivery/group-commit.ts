// Groups the writes of one event-loop turn (enqueues, or a batch's settlements) into one transaction, so they share one fsync.

interface PendingCall<TItem, TResult> {
  readonly items: readonly TItem[];
  resolve(results: TResult[]): void;
  reject(error: unknown): void;
}

export interface GroupCommit<TItem, TResult> {
  /** Resolves with one result per item, in order, once the group holding them is committed. */
  add(items: readonly TItem[]): Promise<TResult[]>;
  /** Commits whatever is waiting now (before close). */
  flush(): void;
}

/**
 * @param commit runs one transaction over every waiting call's items and returns their results in order;
 * if it throws, every call of the group rejects with that error (all or none of the group is written).
 */
export function createGroupCommit<TItem, TResult>(
  commit: (items: readonly TItem[]) => TResult[],
): GroupCommit<TItem, TResult> {
  let waiting: PendingCall<TItem, TResult>[] = [];
  let scheduled: NodeJS.Immediate | undefined;

  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    const calls = waiting;
    waiting = [];
    if (calls.length === 0) return;
    let results: TResult[];
    try {
      results = commit(calls.flatMap((call) => call.items));
    } catch (error) {
      for (const call of calls) call.reject(error);
      return;
    }
    let offset = 0;
    for (const call of calls) {
      call.resolve(results.slice(offset, offset + call.items.length));
      offset += call.items.length;
    }
  };

  return {
    add(items) {
      return new Promise<TResult[]>((resolve, reject) => {
        waiting.push({ items, resolve, reject });
        // setImmediate, not a microtask: every request handled in this turn of the loop joins the group.
        scheduled ??= setImmediate(flush);
      });
    },
    flush,
  };
}
