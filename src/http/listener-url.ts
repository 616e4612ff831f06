// The base URL a started Fastify listener answers on, from the address its socket is bound to.
import type { FastifyInstance } from 'fastify';

/**
 * `http://host:port` of a listening app, e.g. `http://127.0.0.1:9464` (IPv6 hosts in brackets).
 * @param configuredHost used when the socket has no address (a pipe), as the configured interface.
 */
export function listenerUrl(app: FastifyInstance, configuredHost: string): string {
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address : undefined;
  const host = bound?.address ?? configuredHost;
  const port = bound?.port ?? 0;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
