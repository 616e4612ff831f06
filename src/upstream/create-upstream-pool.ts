// One keep-alive undici Pool per target, and the base path its URL carries.
import { Pool } from 'undici';

export interface UpstreamPool {
  readonly pool: Pool;
  /** The URL's path without a trailing slash ('' for none), prefixed to every request path. */
  readonly basePath: string;
}

/** PEM text for an https:// target's connections, read once at start-up. */
export interface UpstreamTls {
  /** CA bundle trusted for the target's certificate; replaces Node's default roots for this target. @default Node's roots */
  readonly ca?: string;
  /** Client certificate (chain) presented for mutual TLS; needs `key`. @default none */
  readonly cert?: string;
  /** The client certificate's private key. @default none */
  readonly key?: string;
}

export interface UpstreamPoolOptions {
  /** The most sockets kept open to the target. */
  readonly connections: number;
  /** TLS settings for an https:// URL; ignored for http://. @default Node's defaults, no client certificate */
  readonly tls?: UpstreamTls;
}

/**
 * Creates the target's connection pool. The pool never follows redirects (undici only does with its
 * redirect interceptor, which is not used): a 3xx comes back as an answer and is classified.
 */
export function createUpstreamPool(url: string, options: UpstreamPoolOptions): UpstreamPool {
  const parsed = new URL(url);
  const { ca, cert, key } = options.tls ?? {};
  const pool = new Pool(parsed.origin, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
    // Verification stays on: rejectUnauthorized is never turned off, a custom CA only changes whom to trust.
    connect: { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) },
  });
  return { pool, basePath: parsed.pathname.replace(/\/+$/, '') };
}
