// "Max, not sum": the two targets are called at the same time, so the client waits for the slowest only.
import { afterEach, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { createRendezvous } from './support/rendezvous.js';
import { deductionFor, type ScriptedUpstream, startScriptedUpstream } from './support/scripted-upstream.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function upstream(answer: Parameters<typeof startScriptedUpstream>[0]): Promise<ScriptedUpstream> {
  const server = await startScriptedUpstream(answer);
  cleanups.push(() => server.close());
  return server;
}

it('has both upstream writes in flight at once: each upstream answers only after the other request arrived', async () => {
  // No clock: an upstream holds its answer until the other one's request has arrived, which only a
  // concurrent fan-out achieves; a serial one would leave the first upstream waiting out the bound.
  const rendezvous = createRendezvous(['inventory', 'crm']);
  const inventory = await upstream(async (request) => {
    await rendezvous.arrive('inventory');
    return { status: 201, body: deductionFor(request.body) };
  });
  const crm = await upstream(async (request) => {
    await rendezvous.arrive('crm');
    const { orderId, customerId } = request.body;
    return {
      status: 201,
      body: {
        activityId: 'act-1',
        orderId,
        customerId,
        type: 'order_placed',
        loggedAt: new Date().toISOString(),
      },
    };
  });
  // Deadlines far above the rendezvous bound: a serial fan-out fails on `met`, not on a timeout.
  const running: TestGateway = await startTestGateway({
    inventoryUrl: inventory.url,
    crmUrl: crm.url,
    env: { FANOUT_DEADLINE_MS: '60000', INVENTORY_TIMEOUT_MS: '30000', CRM_TIMEOUT_MS: '30000' },
  });
  cleanups.push(() => running.close());

  const response = await running.graphql<{ placeOrder: Payload }>(PLACE_ORDER, {
    input: order('o-concurrent'),
  });

  expect(response.body.data?.placeOrder.status).toBe('SUCCEEDED');
  expect(rendezvous.met()).toEqual({ inventory: true, crm: true });
  expect([inventory.requests.length, crm.requests.length]).toEqual([1, 1]);
});
