// Apollo formatError: keeps client errors (a known GatewayErrorCode, or Apollo's own uncoded 4xx), masks everything else.
import type { GraphQLFormattedError } from 'graphql';
import { GatewayErrorCode, isGatewayErrorCode } from './gateway-error-code.js';

/** Whether a code is one clients are meant to see; INTERNAL_SERVER_ERROR and unknown codes mean a gateway bug. */
export function isClientFacingCode(code: unknown): code is GatewayErrorCode {
  return isGatewayErrorCode(code) && code !== GatewayErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * The code a client should see for an error, or undefined when the error is a gateway bug: a known
 * client-facing GatewayErrorCode as is, and an error Apollo raised with an HTTP 4xx but no code (e.g. a
 * malformed persisted-query extension) as BAD_REQUEST.
 * @param error the original error (a GraphQLError or anything thrown)
 */
export function clientErrorCode(error: unknown): GatewayErrorCode | undefined {
  const extensions = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } } | null)
    ?.extensions;
  const code = extensions?.code;
  if (isClientFacingCode(code)) return code;
  const status = extensions?.http?.status;
  if (code === undefined && typeof status === 'number' && status >= 400 && status < 500) {
    return GatewayErrorCode.BAD_REQUEST;
  }
  return undefined;
}

/**
 * Creates the formatter: unknown errors reach clients only as a stable code and a pointer to the log
 * (errorLoggingPlugin has logged them in full, with the request id).
 */
export function createFormatError() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = clientErrorCode(error) ?? clientErrorCode(formatted);
    if (code) return { ...formatted, extensions: { ...formatted.extensions, code } };
    return {
      message: 'Internal server error: the gateway failed unexpectedly; the details are in its log',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
