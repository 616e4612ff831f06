// Several gateways in this process on one SQLite data dir, with demo upstreams they share: for racing one saga across instances.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import {
  type CrmDemoServer,
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
  type InventoryDemoServer,
} from '../../src/demo/index.js';
import { createLogger } from '../../src/observability/index.js';
import { createGateway, type Gateway } from '../../src/server.js';
import type { SendGraphQL } from './saga-operations.js';
import { postGraphQL } from './start-test-gateway.js';

export interface SharedDirGateway {
  /** The GraphQL endpoint. */
  readonly url: string;
  readonly graphql: SendGraphQL;
}

export interface SharedDataDir {
  readonly inventory: InventoryDemoServer;
  readonly crm: CrmDemoServer;
  readonly dataDir: string;
  /** The environment every gateway here is configured from (the demo upstreams, the data dir, `env`). */
  readonly env: Record<string, string>;
  /** Starts one more gateway on the data dir (its own worker included). */
  startGateway(): Promise<SharedDirGateway>;
  /** Closes the gateways, then the upstreams, then removes the data dir. */
  close(): Promise<void>;
}

/** Demo upstreams (Inventory holding `stock`) and a fresh data dir; gateways are started on it on demand. */
export async function startSharedDataDir(
  stock: Record<string, number>,
  env: Record<string, string> = {},
): Promise<SharedDataDir> {
  const inventory = await createInventoryServer({ stock });
  const crm = await createCrmServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'fanout-saga-hostile-'));
  const gateways: Gateway[] = [];
  const fullEnv = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    LOG_LEVEL: 'silent',
    INVENTORY_API_URL: inventory.url,
    INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
    CRM_API_URL: crm.url,
    CRM_API_KEY: DEMO_CRM_API_KEY,
    FANOUT_DATA_DIR: dataDir,
    DELIVERY_POLL_INTERVAL_MS: '20',
    DELIVERY_LEASE_MS: '1000',
    ...env,
  };
  return {
    inventory,
    crm,
    dataDir,
    env: fullEnv,
    async startGateway() {
      const config = loadConfig(fullEnv);
      const gateway = await createGateway(config, createLogger(config.log));
      gateways.push(gateway);
      const url = await gateway.listen();
      return { url, graphql: (query, variables, headers) => postGraphQL(url, query, variables, headers) };
    },
    async close() {
      await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
      await Promise.all([inventory.close(), crm.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
