// Maps an error thrown by undici (refused, reset, DNS, TLS, timeout) to a Failure.
import { type Failure, safeToResend } from './failure.js';

/** Error codes that prove the request never left the gateway: retrying is always safe. */
const NOTHING_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/**
 * Classifies a failed exchange that produced no HTTP answer.
 * @param idempotent whether the request carried an Idempotency-Key, so a resend cannot duplicate it
 */
export function classifyTransportError(
  label: string,
  error: unknown,
  idempotent: boolean,
  attempts = 1,
): Failure {
  const code = errorCode(error);
  if (code && NOTHING_SENT_CODES.has(code)) {
    return {
      kind: 'unavailable',
      message: `${label} could not be reached (${code})`,
      retryable: true,
      attempts,
      requestMayHaveArrived: false,
    };
  }
  const reason = code ?? (error instanceof Error ? error.message : 'unknown error');
  return {
    kind: 'unavailable',
    message: `${label} closed the connection before answering (${reason})`,
    retryable: safeToResend(true, true, idempotent),
    attempts,
    requestMayHaveArrived: true,
  };
}

/** Private: undici errors carry `code`; a connect failure may wrap the system error as `cause`. */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
