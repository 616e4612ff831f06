// GET routes for the bundled GraphiQL (ruru): the page and its assets, served from this gateway so the explorer works offline.
import type { FastifyInstance } from 'fastify';
import { getStaticFile } from 'ruru/static';
import {
  createNonce,
  GRAPHIQL_ASSET_POLICY,
  type GraphiqlPageOptions,
  graphiqlPagePolicy,
  graphiqlPageRenderer,
} from './graphiql-page.js';

/** Where the explorer is served; the landing page links here. */
export const GRAPHIQL_PATH = '/graphiql';

export interface GraphiqlRoutesOptions {
  /** URL path of the page; its assets are served under `<path>/static/`. @default GRAPHIQL_PATH */
  readonly path?: string;
  /** URL path of the GraphQL endpoint the page sends operations to, e.g. `/graphql`. */
  readonly endpoint: string;
  /** Whether the endpoint runs only trusted documents (the page then says so). @default false */
  readonly trustedDocumentsOnly?: boolean;
}

/**
 * Registers `GET <path>` (the page) and `GET <path>/static/*` (ruru's bundled, brotli-compressed assets).
 * Neither route needs credentials: the page only sends operations to the endpoint, which checks them.
 */
export function registerGraphiqlRoutes(app: FastifyInstance, options: GraphiqlRoutesOptions): void {
  const path = options.path ?? GRAPHIQL_PATH;
  const staticPath = `${path}/static/`;
  const page: GraphiqlPageOptions = {
    endpoint: options.endpoint,
    staticPath,
    trustedDocumentsOnly: options.trustedDocumentsOnly ?? false,
  };
  // Built once here; each answer only fills in its fresh nonce.
  const renderPage = graphiqlPageRenderer(page);

  app.get(path, async (_request, reply) => {
    const nonce = createNonce();
    return reply
      .header('content-security-policy', graphiqlPagePolicy(nonce))
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(renderPage(nonce));
  });

  app.get(`${staticPath}*`, async (request, reply) => {
    // Source maps (~10 MB more in memory) are left out: only a developer debugging ruru itself wants them.
    const file = await getStaticFile({
      staticPath,
      urlPath: request.url,
      acceptEncoding: request.headers['accept-encoding'],
      disallowDevAssets: true,
    });
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    // The files change only with the ruru version, so browsers revalidate by ETag and get a 304.
    reply
      .header('content-security-policy', GRAPHIQL_ASSET_POLICY)
      .header('cache-control', 'no-cache')
      .header('vary', 'accept-encoding')
      .header('x-content-type-options', 'nosniff');
    const { etag } = file.headers;
    if (etag && request.headers['if-none-match'] === etag) return reply.code(304).header('etag', etag).send();
    return reply.headers(file.headers).send(file.content);
  });
}
