// Places one order through a test gateway and returns its payload, failing loudly when the answer has none.
import { order, type Payload, PLACE_ORDER } from './operations.js';
import type { TestGateway } from './start-test-gateway.js';

/**
 * Sends `placeOrder` for a demo order with this id (CUST-1, one SKU-RED-MUG) over real HTTP.
 * @throws when the response carries no payload (the error names the whole response body)
 */
export async function placeOrderPayload(
  gateway: TestGateway,
  orderId: string,
  options?: Record<string, unknown>,
): Promise<Payload> {
  const response = await gateway.graphql<{ placeOrder: Payload }>(PLACE_ORDER, {
    input: order(orderId),
    options,
  });
  const payload = response.body.data?.placeOrder;
  if (!payload || response.body.errors) throw new Error(JSON.stringify(response.body));
  return payload;
}
