// The Inventory API's compensation: POST /inventory/restore undoes a deduction (restoring twice is a no-op).
import type { CompensationRequest } from '../compensation-request.js';
import type { StockDeduction } from './inventory-endpoints.js';

/**
 * Restores the stock a deduction took. The contract makes the restore idempotent by deduction id (200
 * "restored, or already restored"); the compensation's Idempotency-Key is sent too, as for every keyed
 * POST. A 404 (`unknown_deduction`) is not undone: the upstream does not know the write the gateway saw
 * succeed, so an operator must look (the call is a rejection, and a queued one goes DEAD with an alert).
 */
export function restoreStockRequest(deduction: StockDeduction): CompensationRequest {
  return {
    method: 'POST',
    path: '/inventory/restore',
    body: { deductionId: deduction.deductionId },
    undoneStatuses: [200],
  };
}
