// Public surface of the targets module: the two upstream APIs and the generic client that sends to them.
export {
  createTargetClient,
  type TargetClient,
  type TargetClientSettings,
  type TargetStatus,
} from './create-target-client.js';
export { type ActivityRecord, crmTarget } from './crm-target.js';
export { inventoryTarget, type StockDeduction } from './inventory-target.js';
export type { Order, OrderItem } from './order.js';
export { type OrderRequest, type SendOptions, upstreamIdempotencyKey } from './send-options.js';
export type { OrderAnswer, TargetDefinition } from './target-definition.js';
export type { TargetHealthSnapshot } from './target-health.js';
