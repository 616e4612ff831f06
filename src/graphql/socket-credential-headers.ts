// Where a graphql-ws socket's credential comes from: the connection_init payload, else the upgrade request's headers.
import type { IncomingHttpHeaders } from 'node:http';

/** The connection_init payload fields read, each named like the HTTP header it stands for. */
const CREDENTIAL_FIELDS = ['authorization', 'x-api-key'] as const;
const CLIENT_NAME_FIELD = 'apollographql-client-name';

/**
 * The headers to authenticate a socket by. Browsers cannot set headers on a WebSocket, so clients put
 * `authorization` or `x-api-key` in `connectionParams` (keys matched case-insensitively); when they carry
 * either, the upgrade request's own credential headers are ignored, else those are used. A value that is
 * not a string is passed as an empty one, which the authenticator refuses as malformed.
 */
export function socketCredentialHeaders(
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  upgradeHeaders: IncomingHttpHeaders,
): IncomingHttpHeaders {
  const params = lowerCaseKeys(connectionParams ?? {});
  const fromParams = CREDENTIAL_FIELDS.some((field) => params[field] !== undefined);
  if (!fromParams) return upgradeHeaders;
  const headers: IncomingHttpHeaders = {};
  for (const field of [...CREDENTIAL_FIELDS, CLIENT_NAME_FIELD]) {
    const value = params[field] ?? (field === CLIENT_NAME_FIELD ? upgradeHeaders[field] : undefined);
    if (value === undefined) continue;
    headers[field] = typeof value === 'string' ? value : '';
  }
  return headers;
}

function lowerCaseKeys(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
}
