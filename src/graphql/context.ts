// The per-request GraphQL context: what resolvers may use, built fresh for every operation.
import type { GatewayTargets } from './gateway-targets.js';

export interface GatewayContext {
  readonly targets: GatewayTargets;
  /** Most orders one placeOrders call may carry. */
  readonly maxOrdersPerRequest: number;
  /** Milliseconds a mutation may take when its options set no deadlineMs. */
  readonly defaultDeadlineMs: number;
}
