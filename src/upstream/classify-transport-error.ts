// Maps an error thrown by undici (refused, reset, DNS, TLS, timeout) to a Failure.
import { type Failure, safeToResend } from '../core/index.js';

/** Error codes that prove the request never left the gateway: retrying is always safe. */
const NOTHING_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Certificate checks and handshake alerts: the TLS handshake failed, so no request was written. (A TLS
 * 1.3 server that refuses the client certificate does so after the client's handshake is done, and
 * undici reports that as a closed socket: it is not provably unsent, so it is not listed here.)
 */
const TLS_HANDSHAKE_CODES = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
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
  if (code && (NOTHING_SENT_CODES.has(code) || TLS_HANDSHAKE_CODES.has(code))) {
    const why = TLS_HANDSHAKE_CODES.has(code) ? ': the TLS handshake failed' : '';
    return {
      kind: 'unavailable',
      message: `${label} could not be reached${why} (${code})`,
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
