// Validation rule: an operation whose type the schema does not offer (a subscription, here) is a client error.
import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * graphql-js 16 validates a `subscription` against a schema without a Subscription type as if it were
 * fine and then fails at execution with an uncoded error, which would be masked as a gateway bug. This
 * rule (graphql-js 17's KnownOperationTypesRule) refuses it during validation instead.
 */
export const knownOperationTypeRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(
      new GraphQLError(`This gateway does not offer ${node.operation} operations`, { nodes: node }),
    );
  },
});
