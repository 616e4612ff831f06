// The GraphQL error for an operation over one of the gateway's limits: code LIMIT_EXCEEDED, which limit, its value.
import { type ASTNode, GraphQLError } from 'graphql';
import { GatewayErrorCode } from './gateway-error-code.js';

/** Which limit an operation exceeded, as `extensions.limitName` tells clients (the `limits.*` setting's name). */
export type OperationLimitName =
  | 'maxTokens'
  | 'maxDepth'
  | 'maxAliases'
  | 'maxDirectives'
  | 'maxCost'
  | 'maxMutationFields';

/**
 * Builds the error a validation rule reports. Apollo labels every validation error
 * GRAPHQL_VALIDATION_FAILED; operationLimitsPlugin() gives these back their LIMIT_EXCEEDED code.
 */
export function operationLimitError(
  message: string,
  limitName: OperationLimitName,
  limit: number,
  nodes?: readonly ASTNode[],
): GraphQLError {
  return new GraphQLError(message, {
    nodes,
    extensions: { code: GatewayErrorCode.LIMIT_EXCEEDED, limitName, limit },
  });
}
