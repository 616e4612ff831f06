// The Inventory API's compensation: POST /inventory/restore undoes a deduction (restoring twice is a no-op).
import type { CompensationRequest } from '../compensation-request.js';
import type { StockDeduction } from './inventory-endpoints.js';

/** Restores the stock a deduction took. A 404 (unknown deduction) is not counted as undone: the caller decides. */
export function restoreStockRequest(deduction: StockDeduction): CompensationRequest {
  return {
    method: 'POST',
    path: '/inventory/restore',
    body: { deductionId: deduction.deductionId },
    undoneStatuses: [200],
  };
}
