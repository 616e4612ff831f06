// What the worker and compensation tests share: demo upstreams, a temp data dir, a config pointing at both, a queue; all closed after each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type Config, loadConfig } from '../../src/config/index.js';
import { type DeliveryQueue, openSqliteDeliveryQueue } from '../../src/delivery/index.js';
import {
  type CrmDemoServer,
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
  type InventoryDemoServer,
} from '../../src/demo/index.js';

export interface Upstreams {
  readonly inventory: InventoryDemoServer;
  readonly crm: CrmDemoServer;
}

/**
 * Registers the afterEach that closes what the helpers start: upstreams first (closing one cuts the calls
 * hanging at it, which pools wait for), then everything else, newest first. Call once per test file.
 */
export function useDeliveryFixtures() {
  const cleanups: (() => Promise<void> | void)[] = [];
  const upstreamCleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of upstreamCleanups.splice(0)) await cleanup();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    /** Closed after the test, newest first. */
    cleanups,
    async startUpstreams(stock?: Record<string, number>): Promise<Upstreams> {
      const inventory = await createInventoryServer(stock ? { stock } : {});
      const crm = await createCrmServer();
      upstreamCleanups.push(() => Promise.all([inventory.close(), crm.close()]).then(() => undefined));
      return { inventory, crm };
    },
    tempDataDir(): string {
      const dir = mkdtempSync(join(tmpdir(), 'fanout-delivery-test-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    /** A config whose targets are the demo upstreams and whose queue lives in `dataDir`; the worker polls every 20 ms. */
    configFor(upstreams: Upstreams, dataDir: string, env: Record<string, string> = {}): Config {
      return loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        INVENTORY_API_URL: upstreams.inventory.url,
        INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
        CRM_API_URL: upstreams.crm.url,
        CRM_API_KEY: DEMO_CRM_API_KEY,
        FANOUT_DATA_DIR: dataDir,
        DELIVERY_POLL_INTERVAL_MS: '20',
        ...env,
      });
    },
    async openQueue(dataDir: string, clock?: () => number): Promise<DeliveryQueue> {
      const queue = await openSqliteDeliveryQueue({ dataDir, clock });
      cleanups.push(() => queue.close());
      return queue;
    },
  };
}
