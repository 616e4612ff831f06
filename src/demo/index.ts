// Public surface of the demo module: the embedded Inventory and CRM upstreams and their fault knobs.
export type { ContractAnswer, ErrorBody } from './contract-answer.js';
export { type CrmDemoServer, type CrmServerOptions, createCrmServer } from './crm-server.js';
export type { Activity } from './crm-store.js';
export { DEMO_CRM_API_KEY, DEMO_INVENTORY_TOKEN, DEMO_STOCK, demoCustomerIds } from './demo-data.js';
export type { DemoServer, DemoServerOptions } from './demo-server.js';
export { FAULT_ADMIN_PATH } from './fault-admin-routes.js';
export type { Fault, FaultPlan, FaultPlanSnapshot, FaultSettings } from './fault-plan.js';
export { IDEMPOTENT_REPLAYED_HEADER } from './idempotency-ledger.js';
export {
  createInventoryServer,
  type InventoryDemoServer,
  type InventoryServerOptions,
} from './inventory-server.js';
export type { Deduction } from './inventory-store.js';
export type { RecordedRequest } from './request-recorder.js';
export { REQUEST_STATS_PATH } from './request-stats-route.js';
