// Apollo plugin for production: no "Did you mean …?" in error messages, so clients cannot map the schema by guessing.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context.js';

const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Validation errors carry no suggestions once Apollo's `validationOptions.hideSuggestions` is set (and
 * graphql-js then skips computing them); variable coercion, at execution, offers no such option and
 * suggests both input fields (`Did you mean "items"?`) and enum values (`Did you mean the enum value
 * "BEST_EFFORT"?`). This strips both forms from every error, whichever phase raised it.
 */
export function hideSuggestionsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = error.message.replace(SUGGESTION, '');
        },
      };
    },
  };
}
