// Apollo formatError: keeps errors that carry a known GatewayErrorCode, masks everything else as INTERNAL_SERVER_ERROR.
import type { GraphQLFormattedError } from 'graphql';
import { GatewayErrorCode, isGatewayErrorCode } from './gateway-error-code.js';

/** Whether an error's code is one clients are meant to see; anything else is a gateway bug. */
export function isClientFacingCode(code: unknown): boolean {
  return isGatewayErrorCode(code) && code !== GatewayErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * Creates the formatter: unknown errors reach clients only as a stable code and a pointer to the log
 * (errorLoggingPlugin has logged them in full, with the request id).
 */
export function createFormatError() {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    if (isClientFacingCode(formatted.extensions?.code)) return formatted;
    return {
      message: 'Internal server error: the gateway failed unexpectedly; the details are in its log',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
