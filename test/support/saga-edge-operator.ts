// What an operator does and reads in the saga edge-case tests: replay or cancel a delivery, count DEAD compensations.
import { parsePrometheus, sampleValue } from './parse-prometheus.js';
import type { DeliveryNode, SendGraphQL } from './saga-operations.js';
import type { GraphQLResponse } from './start-test-gateway.js';

const deliveryFields = `id orderId target kind state attempts lastFailure nextAttemptAt deliveredAt`;

const REPLAY_DELIVERY = /* GraphQL */ `
  mutation Replay($id: ID!) { replayDelivery(id: $id) { ${deliveryFields} } }
`;

const CANCEL_DELIVERY = /* GraphQL */ `
  mutation Cancel($id: ID!) { cancelDelivery(id: $id) { ${deliveryFields} } }
`;

/** The answer of `replayDelivery` or `cancelDelivery`, errors included (the tests look at refusals). */
export type OperatorAnswer = GraphQLResponse<{
  replayDelivery?: DeliveryNode;
  cancelDelivery?: DeliveryNode;
}>;

/** `replayDelivery(id)` or `cancelDelivery(id)`, answered as it is. */
export function operatorAction(
  graphql: SendGraphQL,
  action: 'replay' | 'cancel',
  id: string,
): Promise<OperatorAnswer> {
  return graphql(action === 'replay' ? REPLAY_DELIVERY : CANCEL_DELIVERY, { id });
}

/** `fanout_compensations_dead_total{target}` on the gateway's operator listener (0 before the first). */
export async function compensationsDead(operatorUrl: string, target: 'inventory' | 'crm'): Promise<number> {
  const text = await (await fetch(`${operatorUrl}/metrics`)).text();
  return sampleValue(parsePrometheus(text), 'fanout_compensations_dead_total', { target });
}
