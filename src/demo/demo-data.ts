// Demo data for the embedded upstreams: the default catalogue, customers and credentials.

/** Bearer token the demo Inventory server accepts unless told otherwise. */
export const DEMO_INVENTORY_TOKEN = 'demo-inventory-token';

/** `X-API-Key` the demo CRM server accepts unless told otherwise. */
export const DEMO_CRM_API_KEY = 'demo-crm-key';

/** Units on hand per SKU: three practically endless SKUs and one that sells out after three units. */
export const DEMO_STOCK: Readonly<Record<string, number>> = Object.freeze({
  'SKU-RED-MUG': 1_000_000_000,
  'SKU-BLUE-PEN': 1_000_000_000,
  'SKU-GREEN-TEE': 1_000_000_000,
  'SKU-LIMITED': 3,
});

/** How many demo customers exist: `CUST-1` .. `CUST-<count>`. */
export const DEMO_CUSTOMER_COUNT = 1000;

/** The ids of the demo customers, `CUST-1` .. `CUST-1000`. */
export function demoCustomerIds(count = DEMO_CUSTOMER_COUNT): string[] {
  return Array.from({ length: count }, (_, index) => `CUST-${index + 1}`);
}
