// Inventory state of the demo upstream: stock per SKU and deductions, with all-or-nothing orders.
import { type ContractAnswer, errorAnswer } from './contract-answer.js';
import type { DeductRequest } from './inventory-schemas.js';

/** The contract's `Deduction`. */
export interface Deduction {
  readonly deductionId: string;
  readonly orderId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly remaining: number }[];
}

/** Stock and deductions, answering in the contract's terms. */
export interface InventoryStore {
  /** 201 Deduction; 422 `unknown_sku`; 409 `insufficient_stock` (nothing deducted). */
  deduct(request: DeductRequest): ContractAnswer;
  /** 200 `{ deductionId, restored: true }`, also when already restored; 404 `unknown_deduction`. */
  restore(deductionId: string): ContractAnswer;
  /** 200 `{ sku, available }`; 404 `unknown_sku`. */
  stock(sku: string): ContractAnswer;
  /** Units available now, or undefined for an unknown SKU. */
  stockOf(sku: string): number | undefined;
}

interface DeductionRecord {
  readonly deduction: Deduction;
  restored: boolean;
}

/** Creates a store holding `initialStock` (copied). */
export function createInventoryStore(initialStock: Readonly<Record<string, number>>): InventoryStore {
  const stock = new Map(Object.entries(initialStock));
  const deductions = new Map<string, DeductionRecord>();
  let nextId = 1;

  // Private: checks the whole order before touching stock, which is what makes it all-or-nothing.
  const refusalOf = (request: DeductRequest): ContractAnswer | undefined => {
    const needed = new Map<string, number>();
    for (const { sku, quantity } of request.items) {
      if (!stock.has(sku)) return errorAnswer(422, 'unknown_sku', `items: unknown SKU '${sku}'`, sku);
      needed.set(sku, (needed.get(sku) ?? 0) + quantity);
    }
    for (const [sku, quantity] of needed) {
      const available = stock.get(sku) ?? 0;
      if (available < quantity) {
        const message = `Not enough stock for '${sku}': ${quantity} wanted, ${available} available`;
        return errorAnswer(409, 'insufficient_stock', message, sku);
      }
    }
    return undefined;
  };

  return {
    deduct(request) {
      const refusal = refusalOf(request);
      if (refusal !== undefined) return refusal;
      const items = request.items.map(({ sku, quantity }) => {
        const remaining = (stock.get(sku) ?? 0) - quantity;
        stock.set(sku, remaining);
        return { sku, quantity, remaining };
      });
      const deduction: Deduction = { deductionId: `ded_${nextId++}`, orderId: request.orderId, items };
      deductions.set(deduction.deductionId, { deduction, restored: false });
      return { status: 201, body: deduction };
    },
    restore(deductionId) {
      const record = deductions.get(deductionId);
      if (record === undefined) {
        return errorAnswer(404, 'unknown_deduction', `Unknown deduction '${deductionId}'`);
      }
      if (!record.restored) {
        record.restored = true;
        for (const { sku, quantity } of record.deduction.items)
          stock.set(sku, (stock.get(sku) ?? 0) + quantity);
      }
      return { status: 200, body: { deductionId, restored: true } };
    },
    stock(sku) {
      const available = stock.get(sku);
      if (available === undefined) return errorAnswer(404, 'unknown_sku', `Unknown SKU '${sku}'`, sku);
      return { status: 200, body: { sku, available } };
    },
    stockOf: (sku) => stock.get(sku),
  };
}
