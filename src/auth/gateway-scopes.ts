// The scopes callers need, one per capability: the only list, so new features (deliveries:read, …) add theirs here.

/** Every scope the gateway checks. API keys are granted them in the config, JWTs in `scope` / `scp`. */
export const GatewayScope = {
  /** placeOrder and placeOrders: writes to every target. */
  ORDERS_WRITE: 'orders:write',
  /** Query.targets: shows the upstream URLs and their health. */
  TARGETS_READ: 'targets:read',
  /** Query.delivery, Query.deliveries and Subscription.deliveryUpdated: orders' delivery states and results. */
  DELIVERIES_READ: 'deliveries:read',
  /** replayDelivery, replayDeliveries and cancelDelivery: operator actions on the delivery queue. */
  DELIVERIES_REPLAY: 'deliveries:replay',
} as const;

export type GatewayScope = (typeof GatewayScope)[keyof typeof GatewayScope];

/** Every gateway scope: what a caller gets when authentication is off. */
export const ALL_GATEWAY_SCOPES: ReadonlySet<GatewayScope> = new Set(Object.values(GatewayScope));

/** Whether `scope` is one the gateway checks (a typo in the config would silently deny). */
export function isGatewayScope(scope: string): scope is GatewayScope {
  return (ALL_GATEWAY_SCOPES as ReadonlySet<string>).has(scope);
}
