// Prepares one graphql-ws subscribe message like the HTTP path does: token limit, validation with the operation limits, subscriptions only.
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  OperationTypeNode,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';
import { GatewayErrorCode } from './gateway-error-code.js';
import { knownOperationTypeRule } from './known-operation-type-rule.js';
import { type OperationLimits, operationLimitRules } from './operation-limits.js';

/** A subscribe message's operation, ready to subscribe to, or the coded errors that refuse it. */
export type SocketOperation =
  | { readonly ok: true; readonly document: DocumentNode }
  | { readonly ok: false; readonly errors: readonly GraphQLError[] };

export interface SocketOperationPreparer {
  prepare(query: string, operationName: string | null | undefined): SocketOperation;
}

/**
 * Builds the preparer for `schema`: the same parser token limit and validation rules (depth, aliases,
 * directives, cost) as Apollo's HTTP path, and like it without "Did you mean …?" when `hideSuggestions`. Queries and mutations are refused: over HTTP they pass through
 * the hooks that a socket bypasses (draining, idempotency, client write limits, metrics), so they go there.
 */
export function createSocketOperationPreparer(
  schema: GraphQLSchema,
  limits: OperationLimits,
  options: { readonly hideSuggestions: boolean },
): SocketOperationPreparer {
  const rules: ValidationRule[] = [...specifiedRules, knownOperationTypeRule, ...operationLimitRules(limits)];
  return {
    prepare(query, operationName) {
      let document: DocumentNode;
      try {
        document = parse(query, { maxTokens: limits.maxTokens });
      } catch (error) {
        return { ok: false, errors: [parseError(error, limits.maxTokens)] };
      }
      const invalid = validate(schema, document, rules, { hideSuggestions: options.hideSuggestions });
      if (invalid.length > 0) return { ok: false, errors: invalid.map(withValidationCode) };
      const operation = getOperationAST(document, operationName);
      if (!operation)
        return refuse(
          operationName
            ? `Unknown operation named "${operationName}"`
            : 'Name the operation to run with operationName',
          GatewayErrorCode.OPERATION_RESOLUTION_FAILURE,
        );
      if (operation.operation !== OperationTypeNode.SUBSCRIPTION)
        return refuse(
          `Only subscriptions run over WebSocket; send this ${operation.operation} as an HTTP POST to the same path`,
          GatewayErrorCode.BAD_REQUEST,
        );
      return { ok: true, document };
    },
  };
}

function refuse(message: string, code: GatewayErrorCode): SocketOperation {
  return { ok: false, errors: [new GraphQLError(message, { extensions: { code } })] };
}

/** Private: the token limit is LIMIT_EXCEEDED, as on HTTP; any other syntax error GRAPHQL_PARSE_FAILED. */
function parseError(error: unknown, maxTokens: number): GraphQLError {
  const message = error instanceof Error ? error.message : String(error);
  if (/more than \d+ tokens/.test(message))
    return new GraphQLError(
      `The document has more than ${maxTokens} tokens, the gateway's limit: send inputs as variables rather than inline, or split the operation`,
      { extensions: { code: GatewayErrorCode.LIMIT_EXCEEDED, limitName: 'maxTokens', limit: maxTokens } },
    );
  const syntax = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(message, {
    ...(syntax?.source && syntax.positions ? { source: syntax.source, positions: syntax.positions } : {}),
    extensions: { code: GatewayErrorCode.GRAPHQL_PARSE_FAILED },
  });
}

/** Private: limit rules code their errors LIMIT_EXCEEDED; every other validation error gets Apollo's code. */
function withValidationCode(error: GraphQLError): GraphQLError {
  if (error.extensions.code !== undefined) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { ...error.extensions, code: GatewayErrorCode.GRAPHQL_VALIDATION_FAILED },
  });
}
