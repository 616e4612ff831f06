// One keep-alive undici Pool per target, and the base path its URL carries.
import { Pool } from 'undici';

export interface UpstreamPool {
  readonly pool: Pool;
  /** The URL's path without a trailing slash ('' for none), prefixed to every request path. */
  readonly basePath: string;
}

/**
 * Creates the target's connection pool.
 * @param connections the most sockets kept open to the target
 */
export function createUpstreamPool(url: string, connections: number): UpstreamPool {
  const parsed = new URL(url);
  const pool = new Pool(parsed.origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
  });
  return { pool, basePath: parsed.pathname.replace(/\/+$/, '') };
}
