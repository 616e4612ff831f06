// The targets the public schema reports on: one client per PlaceOrderPayload target field.
import type { ActivityRecord, StockDeduction, TargetClient } from '../targets/index.js';

// A type alias, not an interface, so it satisfies the engine's Record<string, TargetClient> constraint.
export type GatewayTargets = {
  readonly inventory: TargetClient<StockDeduction>;
  readonly crm: TargetClient<ActivityRecord>;
};
