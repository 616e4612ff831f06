// The Inventory target in the public schema: Target.INVENTORY, and StockDeducted as its success member.
import type { TargetGraphQLMapping } from '../target-module.js';
import type { StockDeduction } from './inventory-endpoints.js';

/** `StockDeducted` as resolvers return it (the graphql layer checks it against the generated type). */
export interface StockDeductedMember {
  readonly __typename: 'StockDeducted';
  readonly deductionId: string;
  readonly items: { readonly sku: string; readonly quantity: number; readonly remaining: number }[];
  readonly replayed: boolean;
  readonly attempts: number;
}

export const inventoryGraphQL: TargetGraphQLMapping<StockDeduction, StockDeductedMember, 'INVENTORY'> = {
  name: 'INVENTORY',
  successTypename: 'StockDeducted',
  toSuccessMember: ({ deductionId, items, replayed, attempts }) => ({
    __typename: 'StockDeducted',
    deductionId,
    items: [...items],
    replayed,
    attempts,
  }),
  fromSuccessMember: ({ deductionId, items, attempts }, orderId) => ({
    orderId,
    deductionId,
    items,
    attempts,
    replayed: true,
  }),
};
