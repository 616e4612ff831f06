// Trusted documents: a preHandler on the GraphQL route that lets only the manifest's operations reach Apollo.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { documentHash, type TrustedDocuments } from '../config/index.js';
import { GatewayErrorCode } from './gateway-error-code.js';

export interface TrustedDocumentsOptions {
  /** The manifest's documents, loaded and verified at start-up. */
  readonly documents: TrustedDocuments;
  /** Route patterns of the GraphQL endpoint the check guards, e.g. `['/graphql']`. */
  readonly routes: readonly string[];
}

/** One GraphQL request's parameters: a POST body (or batch item), or a GET query string. */
type GraphQLParams = Record<string, unknown>;

/** What the check makes of one request's parameters. */
type Resolution =
  /** A manifest document: `query` holds its text, and the id fields are gone. */
  | { kind: 'run'; params: GraphQLParams }
  /** Nothing that could run (no query, no id): Apollo answers itself (landing page, or its own 400). */
  | { kind: 'none' }
  | { kind: 'refuse'; code: GatewayErrorCode; message: string };

type Refusal = Extract<Resolution, { kind: 'refuse' }>;

const NONE: Resolution = { kind: 'none' };
/** A document id: the GraphQL-over-HTTP `sha256:<hex>` (client-preset's), or bare hex as APQ sends it. */
const DOCUMENT_ID = /^(?:sha256:)?([0-9a-fA-F]{64})$/;
/** The GET parameters this check reads or rewrites; Apollo refuses each when repeated, and so does this. */
const GET_PARAMS = ['query', 'documentId', 'extensions'] as const;

const NOT_FOUND_MESSAGE =
  'PersistedQueryNotFound: no trusted document has this id; the gateway runs only the operations in its manifest';
const REQUIRED_MESSAGE =
  'This gateway runs only trusted documents: send the operation id from the generated manifest (documentId, or extensions.persistedQuery.sha256Hash) instead of this query';

/**
 * Guards the GraphQL route: a request naming a manifest document by id (`documentId`, or
 * `extensions.persistedQuery.sha256Hash`) runs that document's text; a `query` runs only when its exact
 * text is a manifest document; anything else is refused with HTTP 400 and a coded GraphQL error before
 * Apollo parses it. Applies to POST bodies (each item of a batch) and GET query strings.
 */
export function registerTrustedDocuments(app: FastifyInstance, options: TrustedDocumentsOptions): void {
  app.addHook('preHandler', async (request, reply) => {
    if (!options.routes.includes(request.routeOptions.url ?? '')) return;
    if (request.method === 'POST') return checkBody(request, reply, options.documents);
    if (request.method === 'GET') return checkSearch(request, reply, options.documents);
  });
}

/** Private: POST — rewrites the parsed body in place, so Apollo reads the manifest's text. */
function checkBody(request: FastifyRequest, reply: FastifyReply, documents: TrustedDocuments) {
  const { body } = request;
  const items = Array.isArray(body) ? body : [body];
  const resolved = items.map((item) => (isRecord(item) ? resolveParams(item, documents) : NONE));
  const refusal = resolved.find((resolution) => resolution.kind === 'refuse');
  if (refusal) return refuse(request, reply, refusal);
  const rewritten = items.map((item, index) => {
    const resolution = resolved[index];
    return resolution?.kind === 'run' ? resolution.params : item;
  });
  request.body = Array.isArray(body) ? rewritten : rewritten[0];
}

/**
 * Private: GET — Apollo's Fastify integration reads the raw URL's query string, not `request.query`,
 * so a resolved document is written back into that URL.
 */
function checkSearch(request: FastifyRequest, reply: FastifyReply, documents: TrustedDocuments) {
  const url = new URL(request.url, 'http://gateway.invalid');
  const search = url.searchParams;
  const params: GraphQLParams = {};
  for (const name of GET_PARAMS) {
    const values = search.getAll(name);
    if (values.length > 1) return refuse(request, reply, badRequest(`\`${name}\` is given more than once`));
    if (values[0] !== undefined) params[name] = values[0];
  }
  if (typeof params.extensions === 'string') {
    const extensions = parseJson(params.extensions);
    if (extensions === undefined) return refuse(request, reply, badRequest('`extensions` is not JSON'));
    params.extensions = extensions;
  }
  const resolution = resolveParams(params, documents);
  if (resolution.kind === 'refuse') return refuse(request, reply, resolution);
  if (resolution.kind === 'none') return;
  for (const name of GET_PARAMS) search.delete(name);
  search.set('query', String(resolution.params.query));
  if (resolution.params.extensions !== undefined) {
    search.set('extensions', JSON.stringify(resolution.params.extensions));
  }
  request.raw.url = `${url.pathname}?${search}`;
}

/** Private: the rules, for one request's parameters. */
function resolveParams(params: GraphQLParams, documents: TrustedDocuments): Resolution {
  const id = requestedId(params);
  if (typeof id === 'object') return id;
  const query = params.query === null || params.query === '' ? undefined : params.query;
  if (id === undefined) {
    if (typeof query !== 'string') return NONE;
    if (!documents.has(documentHash(query))) {
      return { kind: 'refuse', code: GatewayErrorCode.TRUSTED_DOCUMENT_REQUIRED, message: REQUIRED_MESSAGE };
    }
    return { kind: 'run', params: withText(params, query) };
  }
  const text = documents.get(id);
  if (text === undefined) {
    return { kind: 'refuse', code: GatewayErrorCode.PERSISTED_QUERY_NOT_FOUND, message: NOT_FOUND_MESSAGE };
  }
  if (query !== undefined && query !== text) {
    return badRequest('the query differs from the trusted document its id names: send the id alone');
  }
  return { kind: 'run', params: withText(params, text) };
}

/**
 * Private: the lower-case hex id the request names (an unrecognisable id as `''`, which matches nothing),
 * undefined when it names none, or a refusal when its id fields are malformed or disagree.
 */
function requestedId(params: GraphQLParams): string | undefined | Refusal {
  const { documentId, extensions } = params;
  const persisted = isRecord(extensions) ? extensions.persistedQuery : undefined;
  let apqHash: string | undefined;
  if (persisted !== undefined && persisted !== null) {
    if (!isRecord(persisted) || persisted.version !== 1 || typeof persisted.sha256Hash !== 'string') {
      return badRequest('`extensions.persistedQuery` must be { "version": 1, "sha256Hash": "<hex>" }');
    }
    apqHash = normalizeId(persisted.sha256Hash);
  }
  if (documentId === undefined || documentId === null) return apqHash;
  if (typeof documentId !== 'string') return badRequest('`documentId` must be a string');
  const id = normalizeId(documentId);
  if (apqHash !== undefined && apqHash !== id) {
    return badRequest('`documentId` and `extensions.persistedQuery.sha256Hash` name different documents');
  }
  return id;
}

function normalizeId(id: string): string {
  return DOCUMENT_ID.exec(id)?.[1]?.toLowerCase() ?? '';
}

/** Private: the parameters Apollo gets — the trusted text as `query`, without `documentId` or APQ's extension. */
function withText(params: GraphQLParams, text: string): GraphQLParams {
  const result: GraphQLParams = { ...params, query: text };
  delete result.documentId;
  if (isRecord(params.extensions)) {
    const extensions = { ...params.extensions };
    delete extensions.persistedQuery;
    if (Object.keys(extensions).length > 0) result.extensions = extensions;
    else delete result.extensions;
  }
  return result;
}

function badRequest(message: string): Refusal {
  return { kind: 'refuse', code: GatewayErrorCode.BAD_REQUEST, message };
}

/** Private: a GraphQL-shaped 400, so clients see a coded error; nothing was parsed or run. */
function refuse(request: FastifyRequest, reply: FastifyReply, refusal: Refusal) {
  request.log.info({ code: refusal.code }, 'refused a GraphQL request that is not a trusted document');
  return reply
    .code(400)
    .header('cache-control', 'private, no-cache, must-revalidate')
    .send({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
