// Demo Inventory upstream: implements inventory-api.yaml for real, with fault knobs and request recording.
import { malformedBatchBody, parseBatchEnvelope, runBatchItems } from './batch-endpoint.js';
import type { ContractRoute } from './contract-route.js';
import { bearerTokenAuthorizer } from './demo-auth.js';
import { DEMO_INVENTORY_TOKEN, DEMO_STOCK } from './demo-data.js';
import { type DemoServer, type DemoServerOptions, startDemoServer } from './demo-server.js';
import { createIdempotencyLedger, type IdempotencyLedger } from './idempotency-ledger.js';
import { answerIdempotentCall, pathParam } from './idempotent-call.js';
import { deductBatchItemSchema, deductRequestSchema, restoreRequestSchema } from './inventory-schemas.js';
import { createInventoryStore, type InventoryStore } from './inventory-store.js';
import { parseContractBody } from './request-validation.js';

/** Options of the demo Inventory server. */
export interface InventoryServerOptions extends DemoServerOptions {
  /** The bearer token every request must carry. @default 'demo-inventory-token' */
  token?: string;
  /** Initial units per SKU; SKUs not listed are unknown. @default DEMO_STOCK (three endless SKUs, SKU-LIMITED: 3) */
  stock?: Record<string, number>;
}

/** A running demo Inventory server. */
export interface InventoryDemoServer extends DemoServer {
  /** Units available now, or undefined for an unknown SKU. */
  stockOf(sku: string): number | undefined;
}

const DEDUCT_SCOPE = 'deduct';

/** Starts the demo Inventory server; resolves once it listens. */
export async function createInventoryServer(
  options: InventoryServerOptions = {},
): Promise<InventoryDemoServer> {
  const store = createInventoryStore(options.stock ?? DEMO_STOCK);
  const ledger = createIdempotencyLedger(options.idempotencyLimit);
  const server = await startDemoServer(options, {
    authorize: bearerTokenAuthorizer(options.token ?? DEMO_INVENTORY_TOKEN),
    routes: inventoryRoutes(store, ledger),
  });
  return Object.assign(server, { stockOf: (sku: string) => store.stockOf(sku) });
}

// Private: the four paths of inventory-api.yaml.
function inventoryRoutes(store: InventoryStore, ledger: IdempotencyLedger): ContractRoute[] {
  const deduct = (request: Parameters<InventoryStore['deduct']>[0]) => store.deduct(request);
  return [
    {
      method: 'POST',
      url: '/inventory/deduct',
      successStatus: 201,
      handle: (request) =>
        answerIdempotentCall(request, {
          ledger,
          scope: DEDUCT_SCOPE,
          parse: (body) => parseContractBody(deductRequestSchema, body),
          apply: deduct,
        }),
    },
    {
      method: 'POST',
      url: '/inventory/deduct/batch',
      successStatus: 200,
      malformedBody: malformedBatchBody('requests'),
      handle: (request) =>
        answerIdempotentCall(request, {
          ledger,
          scope: 'deduct-batch',
          parse: (body) => parseBatchEnvelope(body, 'requests'),
          apply: (items) =>
            runBatchItems(items, {
              field: 'requests',
              itemSchema: deductBatchItemSchema,
              ledger,
              scope: DEDUCT_SCOPE,
              apply: deduct,
            }),
        }),
    },
    {
      method: 'POST',
      url: '/inventory/restore',
      successStatus: 200,
      handle: (request) => {
        const parsed = parseContractBody(restoreRequestSchema, request.body);
        return parsed.ok ? store.restore(parsed.value.deductionId) : parsed.answer;
      },
    },
    {
      method: 'GET',
      url: '/inventory/stock/:sku',
      successStatus: 200,
      handle: (request) => store.stock(pathParam(request, 'sku')),
    },
  ];
}
