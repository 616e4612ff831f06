// Turns a DeliveryFilter into an SQL condition with bound parameters (never interpolated values).
import type { DeliveryFilter } from './delivery-queue.js';

export interface SqlCondition {
  /** `1` when the filter is empty, so it can always follow WHERE. */
  readonly sql: string;
  readonly params: (string | number)[];
}

export function sqlConditionForFilter(filter: DeliveryFilter): SqlCondition {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: string, value: string | number | undefined) => {
    if (value === undefined) return;
    clauses.push(clause);
    params.push(value);
  };
  add('state = ?', filter.state);
  add('target = ?', filter.target);
  add('order_id = ?', filter.orderId);
  add('kind = ?', filter.kind);
  add('created_at >= ?', filter.createdAfter);
  add('created_at < ?', filter.createdBefore);
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}
