// Builds the PlaceOrderPayload for one order from the engine's result, and says whether it is final.
import type { FanoutResult, TargetOutcomes } from '../fanout/index.js';
import type { FanoutStatus } from './__generated__/resolvers-types.js';
import type { GatewayTargets } from './gateway-targets.js';
import {
  type CrmResultMember,
  type InventoryResultMember,
  storedCrmSuccess,
  storedInventorySuccess,
  toCrmResult,
  toInventoryResult,
} from './to-target-result.js';

/** The payload as resolvers return it (and as the idempotency store keeps it): plain JSON-safe data. */
export interface PlaceOrderPayloadModel {
  readonly orderId: string;
  readonly status: FanoutStatus;
  readonly inventory: InventoryResultMember;
  readonly crm: CrmResultMember;
  readonly durationMs: number;
}

export function toPayload(result: FanoutResult<GatewayTargets>): PlaceOrderPayloadModel {
  return {
    orderId: result.orderId,
    status: result.status,
    inventory: toInventoryResult(result.outcomes.inventory),
    crm: toCrmResult(result.outcomes.crm),
    durationMs: Math.round(result.durationMs * 100) / 100,
  };
}

/** A payload is final when no target failed in a way a retry could fix; only final payloads are replayed. */
export function isFinalPayload(payload: PlaceOrderPayloadModel): boolean {
  return ![payload.inventory, payload.crm].some(
    (member) => 'retryable' in member && member.retryable === true,
  );
}

/**
 * What an earlier, retryable payload for the same order already achieved: each target that succeeded,
 * so a repeat sends only to the others (and the kept successes say `replayed: true`).
 */
export function settledSuccesses(
  payload: PlaceOrderPayloadModel | undefined,
): Partial<TargetOutcomes<GatewayTargets>> {
  if (!payload) return {};
  return {
    inventory: storedInventorySuccess(payload.inventory, payload.orderId),
    crm: storedCrmSuccess(payload.crm, payload.orderId),
  };
}
