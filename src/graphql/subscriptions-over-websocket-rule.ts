// Validation rule for the HTTP endpoint: a subscription is served over graphql-ws on the same path, never over POST.
import { GraphQLError, OperationTypeNode, type ValidationRule } from 'graphql';

/**
 * Apollo Server would execute a subscription sent over HTTP as a one-off query of its root field, which
 * has no event to resolve. This refuses it during validation (nothing runs) and says where to send it.
 */
export const subscriptionsOverWebSocketRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation !== OperationTypeNode.SUBSCRIPTION) return;
    if (!context.getSchema().getSubscriptionType()) return;
    context.reportError(
      new GraphQLError(
        'Subscriptions are served over WebSocket (graphql-ws, subprotocol graphql-transport-ws) on this path, not over HTTP',
        { nodes: node },
      ),
    );
  },
});
