// Apollo formatError: keeps errors that carry a known GatewayErrorCode, masks everything else as INTERNAL_SERVER_ERROR.
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../observability/index.js';
import { GatewayErrorCode, isGatewayErrorCode } from './gateway-error-code.js';

/** Creates the formatter; unknown errors are logged in full and reach clients only as a stable code. */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (
      isGatewayErrorCode(formatted.extensions?.code) &&
      formatted.extensions?.code !== GatewayErrorCode.INTERNAL_SERVER_ERROR
    ) {
      return formatted;
    }
    logger.error({ err: error, path: formatted.path }, 'unexpected error while resolving an operation');
    return {
      message: 'Internal server error: the gateway failed unexpectedly; the details are in its log',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
