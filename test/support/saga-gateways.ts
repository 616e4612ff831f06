// What the ALL_OR_NOTHING saga tests share: demo gateways with a fast worker, closed after each test, and their orders.
import { randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import { startTestGateway, type TestGateway } from './start-test-gateway.js';

/** The SKU the saga tests order, 2 at a time unless a test says otherwise. */
export const SAGA_SKU = 'SKU-SAGA';
/** The demo Inventory's stock: plenty of SAGA_SKU, and 3 SKU-LIMITED, so an order of 4 is refused with 409. */
export const SAGA_STOCK: Readonly<Record<string, number>> = { [SAGA_SKU]: 100, 'SKU-LIMITED': 3 };
/** Not one of the demo CRM's customers: CRM rejects the write with 404, for good. */
export const UNKNOWN_CUSTOMER = 'CUST-NOBODY';

export interface SagaGateways {
  /**
   * A gateway on its own demo upstreams (Inventory holding SAGA_STOCK), its worker polling every 20 ms,
   * closed after the test. The rollback inside a request may take FANOUT_DEADLINE_MS: generous, so a
   * loaded machine does not turn ROLLED_BACK into ROLLBACK_PENDING. `env` overrides either.
   */
  start(env?: Record<string, string>): Promise<TestGateway>;
  /** Runs `cleanup` after the test, before whatever was registered earlier. */
  onCleanup(cleanup: () => unknown): void;
  /** An order id `<prefix>-<label>-<8 hex>`: unique, so no two tests (or runs) share a saga. */
  orderIdFor(label: string): string;
}

/**
 * Registers the afterEach that runs each test's cleanups, newest first; order ids start with
 * `orderIdPrefix`. Call once per test file.
 */
export function useSagaGateways(orderIdPrefix: string): SagaGateways {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    async start(env = {}) {
      const gateway = await startTestGateway({
        inventory: { stock: { ...SAGA_STOCK } },
        env: { DELIVERY_POLL_INTERVAL_MS: '20', FANOUT_DEADLINE_MS: '10000', ...env },
      });
      cleanups.push(() => gateway.close());
      return gateway;
    },
    onCleanup(cleanup) {
      cleanups.push(cleanup);
    },
    orderIdFor: (label) => `${orderIdPrefix}-${label}-${randomUUID().slice(0, 8)}`,
  };
}

/** An order of 2 SAGA_SKU for CUST-1 (a customer the demo CRM knows), unless `overrides` says otherwise. */
export function sagaInput(
  orderId: string,
  overrides: { customerId?: string; sku?: string; quantity?: number } = {},
) {
  return {
    orderId,
    customerId: overrides.customerId ?? 'CUST-1',
    items: [{ sku: overrides.sku ?? SAGA_SKU, quantity: overrides.quantity ?? 2 }],
  };
}
