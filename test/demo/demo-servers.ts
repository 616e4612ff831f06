// Test helper: start demo upstreams on port 0 and close every one of them after each test.
import { afterEach } from 'vitest';
import {
  type CrmDemoServer,
  type CrmServerOptions,
  createCrmServer,
  createInventoryServer,
  type DemoServer,
  type InventoryDemoServer,
  type InventoryServerOptions,
} from '../../src/demo/index.js';

/** Starters for the demo upstreams; call once per test file (it registers an afterEach hook). */
export interface DemoServerStarters {
  inventory(options?: InventoryServerOptions): Promise<InventoryDemoServer>;
  crm(options?: CrmServerOptions): Promise<CrmDemoServer>;
}

/** Returns starters whose servers are closed after each test. */
export function useDemoServers(): DemoServerStarters {
  const started: DemoServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close()));
  });
  const track = <T extends DemoServer>(server: T): T => {
    started.push(server);
    return server;
  };
  return {
    inventory: async (options) => track(await createInventoryServer(options)),
    crm: async (options) => track(await createCrmServer(options)),
  };
}
