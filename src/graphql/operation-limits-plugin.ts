// Apollo plugin: refusals for an operation's size keep their LIMIT_EXCEEDED code, which Apollo's own labels would replace.
import type { ApolloServerPlugin } from '@apollo/server';
import { type GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import type { GatewayContext } from './context.js';
import { GatewayErrorCode } from './gateway-error-code.js';

export interface OperationLimitsPluginOptions {
  /** The parser's token limit (Apollo's `parseOptions.maxTokens`), so its refusal can be told from a typo. */
  readonly maxTokens: number;
}

/**
 * Apollo codes every validation error GRAPHQL_VALIDATION_FAILED and every parser error
 * GRAPHQL_PARSE_FAILED. This gives LIMIT_EXCEEDED back to errors our limit rules reported (see
 * operationLimitError), and to the parser's refusal of a document over `maxTokens`, with a message
 * that says what to do: one code for "the operation is too large", whichever limit it hit.
 */
export function operationLimitsPlugin(
  options: OperationLimitsPluginOptions,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, source }) {
          for (const error of errors) {
            if (error.extensions.code === GatewayErrorCode.GRAPHQL_VALIDATION_FAILED) {
              if (originalCode(error) === GatewayErrorCode.LIMIT_EXCEEDED)
                error.extensions.code = GatewayErrorCode.LIMIT_EXCEEDED;
            } else if (error.extensions.code === GatewayErrorCode.GRAPHQL_PARSE_FAILED && source) {
              if (error.positions?.[0] === tokenLimitOffset(source, options.maxTokens))
                relabelTokenLimit(error, options.maxTokens);
            }
          }
        },
      };
    },
  };
}

function originalCode(error: GraphQLError): unknown {
  const original = error.originalError;
  if (!original || !('extensions' in original)) return undefined;
  const extensions = original.extensions;
  return typeof extensions === 'object' && extensions !== null && 'code' in extensions
    ? extensions.code
    : undefined;
}

/**
 * Private: where the parser stops a document over the limit (the start of its first token past it),
 * or undefined when the document is within it; lexing stops there too, so a huge document costs little.
 */
function tokenLimitOffset(source: string, maxTokens: number): number | undefined {
  const lexer = new Lexer(new Source(source));
  try {
    for (let count = 0; count <= maxTokens; count++) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) return undefined;
      if (count === maxTokens) return token.start;
    }
  } catch {
    // A lexical error before the limit: the parser reported that, not the limit.
  }
  return undefined;
}

function relabelTokenLimit(error: GraphQLError, maxTokens: number): void {
  error.message =
    `The document has more than ${maxTokens} tokens, the gateway's limit: ` +
    'send inputs as variables rather than inline, or split the operation';
  error.extensions.code = GatewayErrorCode.LIMIT_EXCEEDED;
  error.extensions.limitName = 'maxTokens';
  error.extensions.limit = maxTokens;
}
