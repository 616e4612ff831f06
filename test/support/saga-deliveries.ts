// One order's deliveries as the saga tests read them: one picked by target and kind, its state, a wait for a condition.
import { type DeliveryNode, deliveriesOf } from './saga-operations.js';
import type { TestGateway } from './start-test-gateway.js';
import { waitUntil } from './wait-until.js';

/** The order's delivery of `target` and `kind`; throws when there is none. */
export function pickDelivery(
  deliveries: readonly DeliveryNode[],
  target: DeliveryNode['target'],
  kind: DeliveryNode['kind'],
): DeliveryNode {
  const found = deliveries.find((delivery) => delivery.target === target && delivery.kind === kind);
  if (!found) throw new Error(`no ${target} ${kind} in ${JSON.stringify(deliveries)}`);
  return found;
}

/** The state of the order's delivery of `target` and `kind`, or undefined when there is none yet. */
export function stateOf(
  deliveries: readonly DeliveryNode[],
  target: DeliveryNode['target'],
  kind: DeliveryNode['kind'],
): string | undefined {
  return deliveries.find((delivery) => delivery.target === target && delivery.kind === kind)?.state;
}

/** Waits until the order's deliveries satisfy `condition`, then returns them. */
export async function deliveriesWhen(
  gateway: TestGateway,
  orderId: string,
  condition: (deliveries: readonly DeliveryNode[]) => boolean,
  what: string,
): Promise<readonly DeliveryNode[]> {
  let found: readonly DeliveryNode[] = [];
  await waitUntil(async () => {
    found = await deliveriesOf(gateway.graphql, orderId);
    return condition(found);
  }, what);
  return found;
}
