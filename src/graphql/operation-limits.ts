// Operation limits: graphql-armor's depth, alias, directive and cost rules and our single-write rule, coded LIMIT_EXCEEDED.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import { type OperationLimitName, operationLimitError } from './operation-limit-error.js';
import { singleWriteRule } from './single-write-rule.js';

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;
/** armor's rejection callback (its types package is not a dependency of ours). */
type RejectCallback = NonNullable<NonNullable<ArmorConfig['maxDepth']>['onReject']>[number];

/** How large an operation may be; measured values of real operations are in the README (Security). */
export interface OperationLimits {
  /** Lexical tokens in a document; the parser stops at the first one past it (see operationLimitsPlugin). @default 1000 */
  readonly maxTokens: number;
  /** Nesting of fields (fragments flattened: they shape the answer, not its depth). @default 8 */
  readonly maxDepth: number;
  /** Aliases in an operation, fragments included (`__typename` aliases are free). @default 15 */
  readonly maxAliases: number;
  /** Directives in an operation, fragments included. @default 20 */
  readonly maxDirectives: number;
  /** graphql-armor's static cost (object 2, scalar 1, ×1.5 per level, fragments flattened). @default 1000 */
  readonly maxCost: number;
}

/**
 * The validation rules that enforce the limits besides `maxTokens` (a parser option). graphql-armor's
 * own Apollo plugins stay off: its token plugin throws from `parsingDidStart` (a 500) and relabels
 * every unexpected error, and its suggestion mask misses graphql-js's enum-value suggestions.
 */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  const armor = new ApolloArmor({
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...reportAs('maxDepth', limits.maxDepth) },
    maxAliases: { n: limits.maxAliases, ...reportAs('maxAliases', limits.maxAliases) },
    maxDirectives: { n: limits.maxDirectives, ...reportAs('maxDirectives', limits.maxDirectives) },
    costLimit: { maxCost: limits.maxCost, flattenFragments: true, ...reportAs('maxCost', limits.maxCost) },
  });
  return [...armor.protect().validationRules, singleWriteRule];
}

/**
 * Private: armor reports a rejection as "Syntax Error: …" coded BAD_USER_INPUT; we report its message,
 * without that misleading prefix, as our own limit error.
 */
function reportAs(limitName: OperationLimitName, limit: number) {
  const report: RejectCallback = (context, error) => {
    const message = error.message.replace(/^Syntax Error: /, '');
    context?.reportError(operationLimitError(message, limitName, limit));
  };
  return { exposeLimits: true, propagateOnRejection: false, onReject: [report] };
}
