// Validation rule: a mutation operation writes through at most one root field (aliases and fragments included).
import {
  type ASTVisitor,
  type FieldNode,
  Kind,
  OperationTypeNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { operationLimitError } from './operation-limit-error.js';

/** Root fields named in the error message; the rest are counted, not listed. */
const LISTED_FIELDS = 5;

/**
 * Refuses a mutation operation with more than one root field, so nothing is sent upstream. GraphQL runs
 * root mutation fields one after another, so `a: placeOrder … b: placeOrder …` multiplies the writes of
 * one request past FANOUT_MAX_ORDERS while they share one deadline; `placeOrders` is the batch API.
 * Aliases count, and so do fields reached through fragments at the root; `__typename` does not. A field
 * under `@skip`/`@include` counts too: the limit is on the document, whatever its variables. The delivery
 * mutations (replayDelivery, replayDeliveries, cancelDelivery) count like any other root field: each
 * changes the queue, and replayDeliveries(filter) is the bulk form.
 */
export function singleWriteRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(operation) {
      if (operation.operation !== OperationTypeNode.MUTATION) return false;
      const fields = rootFields(operation.selectionSet, context);
      if (fields.length > 1) {
        const names = fields.slice(0, LISTED_FIELDS).map((field) => responseName(field));
        const more = fields.length > LISTED_FIELDS ? `, … ${fields.length - LISTED_FIELDS} more` : '';
        context.reportError(
          operationLimitError(
            `A mutation may have one root field; this one has ${fields.length} (${names.join(', ')}${more}). ` +
              'Send several orders with one placeOrders, or one mutation per request.',
            'maxMutationFields',
            1,
            fields.slice(1, 1 + LISTED_FIELDS),
          ),
        );
      }
      // Nothing below the root matters to this rule.
      return false;
    },
  };
}

/**
 * Private: the root fields of a selection set with inline fragments and fragment spreads flattened,
 * iteratively and each named fragment once (NoFragmentCyclesRule reports cycles; here they just end).
 */
function rootFields(selectionSet: SelectionSetNode, context: ValidationContext): FieldNode[] {
  const fields: FieldNode[] = [];
  const visitedFragments = new Set<string>();
  const pending: SelectionSetNode[] = [selectionSet];
  for (let set = pending.pop(); set; set = pending.pop()) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') fields.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        pending.push(selection.selectionSet);
      } else if (!visitedFragments.has(selection.name.value)) {
        visitedFragments.add(selection.name.value);
        const fragment = context.getFragment(selection.name.value);
        if (fragment) pending.push(fragment.selectionSet);
      }
    }
  }
  return fields;
}

function responseName(field: FieldNode): string {
  return field.alias ? `${field.alias.value}: ${field.name.value}` : field.name.value;
}
