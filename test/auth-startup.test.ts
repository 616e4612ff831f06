// Secure by default: the real process refuses to start in production without an authentication decision.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CrmDemoServer,
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
  type InventoryDemoServer,
} from '../src/demo/index.js';
import { order, PLACE_ORDER } from './support/operations.js';
import { sendGraphQL } from './support/send-graphql.js';
import { logLines, type SpawnedGateway, spawnGateway, waitForReady } from './support/spawn-gateway.js';

/** Spawned processes start slowly on a loaded machine (tsx compiles on start): generous, never a timing bound. */
const SPAWNED = { timeout: 60_000 };

let spawned: SpawnedGateway | undefined;
let upstreams: { inventory: InventoryDemoServer; crm: CrmDemoServer } | undefined;
afterEach(async () => {
  if (spawned && spawned.child.exitCode === null) {
    spawned.child.kill('SIGKILL');
    await spawned.exited;
  }
  spawned = undefined;
  await Promise.all([upstreams?.inventory.close(), upstreams?.crm.close()]);
  upstreams = undefined;
});

async function productionEnv(): Promise<Record<string, string>> {
  upstreams = { inventory: await createInventoryServer(), crm: await createCrmServer() };
  return {
    NODE_ENV: 'production',
    INVENTORY_API_URL: upstreams.inventory.url,
    INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
    CRM_API_URL: upstreams.crm.url,
    CRM_API_KEY: DEMO_CRM_API_KEY,
  };
}

describe('authentication at start-up', SPAWNED, () => {
  it('refuses to start in production when no authentication is configured, naming AUTH_MODE', async () => {
    spawned = spawnGateway(await productionEnv());
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr()).toContain(
      'AUTH_MODE: required when NODE_ENV=production (configure api-keys and/or jwt, or set none to let any caller in)',
    );
    expect(upstreams?.inventory.requestCount()).toBe(0);
  });

  it('starts in production with AUTH_MODE=none, warns that authentication is off, and lets callers in', async () => {
    spawned = spawnGateway({ ...(await productionEnv()), AUTH_MODE: 'none' });
    const url = await waitForReady(spawned);
    const warning = logLines(spawned).find((line) => line.authMode === 'none');
    expect(warning).toMatchObject({
      level: 40,
      msg: expect.stringMatching(/^authentication is OFF \(AUTH_MODE=none\)/),
    });

    const response = await sendGraphQL(url, PLACE_ORDER, { input: order('o-open-prod') });
    expect(response.status).toBe(200);
  });

  it('starts in production with API keys configured and refuses a caller without one', async () => {
    const sha256 = 'a'.repeat(64);
    spawned = spawnGateway({ ...(await productionEnv()), AUTH_API_KEYS: `shop:${sha256}:orders:write` });
    const url = await waitForReady(spawned);
    expect(logLines(spawned)).toContainEqual(
      expect.objectContaining({ level: 30, authMode: 'api-keys', apiKeyClients: ['shop'] }),
    );

    const response = await sendGraphQL(url, PLACE_ORDER, { input: order('o-closed-prod') });
    expect(response.status).toBe(401);
    expect(upstreams?.inventory.requestCount()).toBe(0);
  });
});
