// Public surface of the targets module: the registry of upstream targets and the generic client that sends to them.
export { compensationIdempotencyKey } from './compensation-key.js';
export type { CompensationRequest } from './compensation-request.js';
export {
  createTargetClient,
  type TargetClient,
  type TargetClientSettings,
  type TargetStatus,
} from './create-target-client.js';
export {
  createTargetRegistry,
  type RegisteredTarget,
  type TargetClients,
  type TargetRegistry,
} from './create-target-registry.js';
export type { Order, OrderItem } from './order.js';
export type { CompensateOptions, CompensationResult } from './send-compensation.js';
export { type OrderRequest, type SendOptions, upstreamIdempotencyKey } from './send-options.js';
export type { OrderAnswer, TargetDefinition } from './target-definition.js';
export type { TargetHealthSnapshot } from './target-health.js';
export type { TargetModule } from './target-module.js';
export {
  type AnyTargetModule,
  anyTargetModules,
  type TargetId,
  type TargetModuleOf,
  type TargetSuccessMemberOf,
  type TargetValueOf,
  targetModuleById,
} from './target-modules.js';
