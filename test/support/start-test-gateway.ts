// Starts the demo upstreams and a gateway on loopback ports, configured through the real config loader.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import {
  type CrmDemoServer,
  type CrmServerOptions,
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
  type InventoryDemoServer,
  type InventoryServerOptions,
} from '../../src/demo/index.js';
import { createLogger, type Logger } from '../../src/observability/index.js';
import { createGateway, type Gateway } from '../../src/server.js';

export interface TestGatewayOptions {
  /** Extra environment variables, e.g. `{ CRM_BATCH_ENABLED: 'false' }`. */
  readonly env?: Record<string, string>;
  readonly inventory?: InventoryServerOptions;
  readonly crm?: CrmServerOptions;
  /** Points the CRM target at this URL instead of the demo CRM (e.g. a closed port). */
  readonly crmUrl?: string;
  readonly inventoryUrl?: string;
  /** The gateway's logger (e.g. one writing to a stream the test reads); silent by default. */
  readonly logger?: Logger;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

export interface TestGateway {
  /** The GraphQL endpoint on the public listener, e.g. `http://127.0.0.1:41234/graphql`. */
  readonly url: string;
  /**
   * The operator listener's base URL (`/metrics`, `/readyz` with details), e.g. `http://127.0.0.1:41235`;
   * empty when the test sets METRICS_ENABLED=false.
   */
  readonly operatorUrl: string;
  readonly gateway: Gateway;
  readonly inventory: InventoryDemoServer;
  readonly crm: CrmDemoServer;
  /** POSTs one GraphQL operation over real HTTP. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const inventory = await createInventoryServer(options.inventory);
  const crm = await createCrmServer(options.crm);
  // Each gateway its own embedded delivery queue, so parallel tests never share one.
  const dataDir = mkdtempSync(join(tmpdir(), 'fanout-test-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    LOG_LEVEL: 'silent',
    INVENTORY_API_URL: options.inventoryUrl ?? inventory.url,
    INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
    CRM_API_URL: options.crmUrl ?? crm.url,
    CRM_API_KEY: DEMO_CRM_API_KEY,
    FANOUT_DATA_DIR: dataDir,
    ...options.env,
  });
  const gateway = await createGateway(config, options.logger ?? createLogger(config.log));
  const url = await gateway.listen();
  return {
    url,
    operatorUrl: gateway.operatorUrl() ?? '',
    gateway,
    inventory,
    crm,
    graphql: (query, variables, headers) => postGraphQL(url, query, variables, headers),
    async close() {
      await gateway.close();
      await Promise.all([inventory.close(), crm.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<T>['body'] };
}
