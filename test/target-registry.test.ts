// The target registry: a fixed order, lookup by id, start-up errors naming the variables, and compensation
// requests built by each target that the demo upstreams (which implement the contracts) accept.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { DEMO_CRM_API_KEY, DEMO_INVENTORY_TOKEN } from '../src/demo/index.js';
import { createMetrics } from '../src/observability/index.js';
import { createTargetRegistry, type RegisteredTarget, targetModuleById } from '../src/targets/index.js';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const demoCredentials: Record<string, string> = { inventory: DEMO_INVENTORY_TOKEN, crm: DEMO_CRM_API_KEY };

/** Sends a target's compensation for the success its payload member reports; resolves with the HTTP status. */
async function compensate(target: RegisteredTarget, payload: Payload): Promise<number> {
  const { module, client } = target;
  const member = payload[target.id];
  const value = module.graphql.fromSuccessMember(member, payload.orderId);
  const request = module.compensation(value);
  const { authHeaders } = module.definition(demoCredentials[target.id] ?? '');
  const response = await fetch(client.url + request.path, {
    method: request.method,
    headers: { ...authHeaders, ...(request.body && { 'content-type': 'application/json' }) },
    body: request.body && JSON.stringify(request.body),
  });
  await response.arrayBuffer();
  expect(request.undoneStatuses).toContain(response.status);
  return response.status;
}

describe('target registry', () => {
  it('lists the targets in a fixed order and finds each by id, holding the same clients the gateway exposes', async () => {
    running = await startTestGateway();
    const { registry, targets } = running.gateway;
    expect(registry.targets.map(({ id }) => id)).toEqual(['inventory', 'crm']);
    expect(registry.targets.map(({ module }) => module.graphql.name)).toEqual(['INVENTORY', 'CRM']);
    expect(registry.targetById('crm')?.client).toBe(targets.crm);
    expect(registry.targetById('inventory')?.module.label).toBe('Inventory API');
    expect(registry.targetById('billing')).toBeUndefined();
  });

  it('refuses a target without URL or credential, naming its variables', () => {
    const config = loadConfig({ NODE_ENV: 'test', CRM_API_URL: 'http://127.0.0.1:1', CRM_API_KEY: 'k' });
    expect(() => createTargetRegistry(config, createMetrics())).toThrow(ConfigError);
    expect(() => createTargetRegistry(config, createMetrics())).toThrow(
      /INVENTORY_API_URL is required[\s\S]*INVENTORY_API_TOKEN is required/,
    );
  });

  it("lists every target's missing settings at once, not only the first target's", () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    const problems = (() => {
      try {
        createTargetRegistry(config, createMetrics());
        return [];
      } catch (error) {
        return error instanceof ConfigError ? error.problems : [];
      }
    })();
    expect(problems).toEqual([
      'INVENTORY_API_URL is required',
      'INVENTORY_API_TOKEN is required',
      'CRM_API_URL is required',
      'CRM_API_KEY is required',
    ]);
  });

  it("builds each target's compensation so the upstream undoes the write, and undoing twice is still undone", async () => {
    running = await startTestGateway();
    const before = running.inventory.stockOf('SKU-RED-MUG');
    const response = await running.graphql<{ placeOrder: Payload }>(PLACE_ORDER, {
      input: order('o-undo', { items: [{ sku: 'SKU-RED-MUG', quantity: 2 }] }),
    });
    const payload = response.body.data?.placeOrder;
    expect(payload?.status).toBe('SUCCEEDED');
    if (!payload) throw new Error(JSON.stringify(response.body));
    expect(running.inventory.stockOf('SKU-RED-MUG')).toBe((before ?? 0) - 2);
    expect(running.crm.activitiesOf('CUST-1').map((activity) => activity.orderId)).toContain('o-undo');

    for (const target of running.gateway.registry.targets) {
      await compensate(target, payload);
      await compensate(target, payload);
    }

    expect(running.inventory.stockOf('SKU-RED-MUG')).toBe(before);
    expect(running.crm.activitiesOf('CUST-1').map((activity) => activity.orderId)).not.toContain('o-undo');
  });

  it('encodes the upstream-chosen activity id as one path segment of the DELETE', () => {
    const activity = { orderId: 'o-1', activityId: 'a/../b?c', loggedAt: '', replayed: false, attempts: 1 };
    expect(targetModuleById('crm')?.compensation(activity)).toEqual({
      method: 'DELETE',
      path: '/crm/activities/a%2F..%2Fb%3Fc',
      undoneStatuses: [204, 200, 404],
    });
  });
});
