// Cross-site WebSocket hijacking guard: a browser's upgrade must come from an allowed origin or the gateway's own.
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Browsers send `Origin` on a WebSocket upgrade and apply no CORS to it, so a page on any site could
 * open a socket with whatever credentials the browser attaches. Allowed: no `Origin` (not a browser), the
 * gateway's own origin (its explorer), or one of FANOUT_CORS_ORIGINS (`*` allows all), as for HTTP.
 */
export function isAllowedWebSocketOrigin(
  headers: IncomingHttpHeaders,
  allowedOrigins: readonly string[],
): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes('*') || allowedOrigins.includes(origin)) return true;
  try {
    return headers.host !== undefined && new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}
