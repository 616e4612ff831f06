// Redirects are never followed: a 3xx from an upstream is an InvalidUpstreamResponse, and nothing goes to its Location.
import { afterEach, describe, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { deductionFor, type ScriptedUpstream, startScriptedUpstream } from './support/scripted-upstream.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';

let running: TestGateway | undefined;
const upstreams: ScriptedUpstream[] = [];
afterEach(async () => {
  await running?.close();
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
  running = undefined;
});

describe('an upstream that answers a redirect', () => {
  it.each([301, 302, 303, 307, 308])(
    'turns %i into a non-retryable InvalidUpstreamResponse and never calls the Location',
    async (status) => {
      const elsewhere = await startScriptedUpstream((request) => ({
        status: 201,
        body: deductionFor(request.body),
      }));
      const inventory = await startScriptedUpstream(() => ({
        status,
        headers: { location: `${elsewhere.url}/inventory/deduct` },
      }));
      upstreams.push(elsewhere, inventory);
      running = await startTestGateway({ inventoryUrl: inventory.url });

      const response = await running.graphql<{ placeOrder: Payload }>(PLACE_ORDER, { input: order('o-302') });

      expect(response.body.data?.placeOrder.inventory).toEqual({
        __typename: 'InvalidUpstreamResponse',
        target: 'INVENTORY',
        message: `Inventory API answered ${status}: a redirect, which the gateway never follows`,
        retryable: false,
        attempts: 1,
        httpStatus: status,
      });
      expect(inventory.requests).toHaveLength(1);
      expect(elsewhere.requests).toHaveLength(0);
    },
  );
});
