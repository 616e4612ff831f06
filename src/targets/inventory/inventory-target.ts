// The Inventory target (contracts/inventory-api.yaml): deduct an order's stock; restore it to compensate.
import type { TargetModule } from '../target-module.js';
import { inventoryEndpoints, type StockDeduction } from './inventory-endpoints.js';
import { inventoryGraphQL, type StockDeductedMember } from './inventory-graphql.js';
import { restoreStockRequest } from './restore-stock-request.js';

const id = 'inventory';
const label = 'Inventory API';

export const inventoryTarget: TargetModule<'inventory', StockDeduction, StockDeductedMember, 'INVENTORY'> = {
  id,
  label,
  graphql: inventoryGraphQL,
  section: ({ targets: { inventory } }) => ({ settings: inventory, credential: inventory.token }),
  definition: (token) => ({ id, label, ...inventoryEndpoints(token) }),
  compensation: restoreStockRequest,
};
