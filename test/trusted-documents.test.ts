// Trusted documents over real HTTP: with FANOUT_TRUSTED_DOCUMENTS only the manifest's operations run, by id or exact text.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { order, PLACE_ORDER } from './support/operations.js';
import { spawnGateway } from './support/spawn-gateway.js';
import { type GraphQLResponse, startTestGateway, type TestGateway } from './support/start-test-gateway.js';

/** The example client's PlaceOrder, exactly as codegen wrote it into the manifest. */
const PLACE_ORDER_TEXT = Object.values(
  JSON.parse(
    readFileSync(
      new URL('../examples/client/__generated__/persisted-documents.json', import.meta.url),
      'utf8',
    ),
  ) as Record<string, string>,
)[0] as string;
const TARGETS_TEXT = 'query Targets { targets { __typename } }';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const UNKNOWN_HASH = sha256('query Unknown { targets { __typename } }');

let dir: string;
let manifestPath: string;
let running: TestGateway | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trusted-documents-'));
  manifestPath = join(dir, 'persisted-documents.json');
  const manifest = {
    [`sha256:${sha256(PLACE_ORDER_TEXT)}`]: PLACE_ORDER_TEXT,
    [`sha256:${sha256(TARGETS_TEXT)}`]: TARGETS_TEXT,
  };
  writeFileSync(manifestPath, JSON.stringify(manifest));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Private: POSTs a raw GraphQL-over-HTTP body (ids, extensions) rather than a query. */
async function post(body: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await fetch(running?.url ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

function upstreamRequests(): number {
  return (running?.inventory.requestCount() ?? 0) + (running?.crm.requestCount() ?? 0);
}

const variables = (orderId: string) => ({ input: order(orderId) });
const codeOf = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions?.code;

describe('a gateway with FANOUT_TRUSTED_DOCUMENTS', () => {
  const start = async () => {
    running = await startTestGateway({ env: { FANOUT_TRUSTED_DOCUMENTS: manifestPath } });
  };

  it('runs a manifest mutation named by its APQ sha256Hash, without its text', async () => {
    await start();
    const response = await post({
      variables: variables('trusted-apq-1'),
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(PLACE_ORDER_TEXT) } },
    });

    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      placeOrder: { orderId: 'trusted-apq-1', status: 'SUCCEEDED' },
    });
    expect(running?.inventory.requestCount('/inventory/deduct')).toBe(1);
  });

  it('runs a manifest mutation named by its GraphQL-over-HTTP documentId', async () => {
    await start();
    const response = await post({
      documentId: `sha256:${sha256(PLACE_ORDER_TEXT)}`,
      variables: variables('trusted-id-1'),
    });

    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      placeOrder: { orderId: 'trusted-id-1', status: 'SUCCEEDED' },
    });
  });

  it('runs a manifest query named by documentId in a GET query string', async () => {
    await start();
    const url = `${running?.url}?documentId=sha256:${sha256(TARGETS_TEXT)}`;
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { targets: [{ __typename: 'TargetHealth' }, { __typename: 'TargetHealth' }] },
    });
  });

  it('refuses an unknown id with PERSISTED_QUERY_NOT_FOUND and HTTP 400, and sends nothing upstream', async () => {
    await start();
    const byApq = await post({
      variables: variables('unknown-1'),
      extensions: { persistedQuery: { version: 1, sha256Hash: UNKNOWN_HASH } },
    });
    const byId = await post({ documentId: `sha256:${UNKNOWN_HASH}`, variables: variables('unknown-2') });
    const malformed = await post({ documentId: 'not-a-hash', variables: variables('unknown-3') });

    for (const response of [byApq, byId, malformed]) {
      expect(response.status).toBe(400);
      expect(codeOf(response)).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(response.body.data).toBeUndefined();
    }
    expect(upstreamRequests()).toBe(0);
  });

  it('refuses a free-form query not in the manifest with TRUSTED_DOCUMENT_REQUIRED before parsing it, and sends nothing upstream', async () => {
    await start();
    const notInManifest = await running?.graphql(PLACE_ORDER, variables('free-form-1'));
    const unparsable = await running?.graphql('mutation {');

    for (const response of [notInManifest, unparsable]) {
      expect(response?.status).toBe(400);
      expect(codeOf(response as GraphQLResponse)).toBe('TRUSTED_DOCUMENT_REQUIRED');
    }
    expect(upstreamRequests()).toBe(0);
  });

  it('runs a free-form query whose exact text is a manifest document', async () => {
    await start();
    const response = await running?.graphql(PLACE_ORDER_TEXT, variables('exact-text-1'));

    expect(response?.status).toBe(200);
    expect(response?.body.data).toMatchObject({ placeOrder: { status: 'SUCCEEDED' } });
  });

  it('refuses a query sent with the id of a different document with BAD_REQUEST', async () => {
    await start();
    const response = await post({
      query: PLACE_ORDER,
      documentId: `sha256:${sha256(PLACE_ORDER_TEXT)}`,
      variables: variables('mismatch-1'),
    });

    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('BAD_REQUEST');
    expect(upstreamRequests()).toBe(0);
  });

  it('registers nothing through APQ: a hash sent with its own text outside the manifest stays unknown', async () => {
    await start();
    const hash = sha256(PLACE_ORDER);
    const registration = await post({
      query: PLACE_ORDER,
      variables: variables('apq-register-1'),
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
    });
    const replay = await post({
      variables: variables('apq-register-2'),
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
    });

    expect(codeOf(registration)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(codeOf(replay)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(upstreamRequests()).toBe(0);
  });
});

describe('a gateway without FANOUT_TRUSTED_DOCUMENTS', () => {
  it('runs free-form queries as before', async () => {
    running = await startTestGateway();
    const response = await running.graphql(PLACE_ORDER, variables('free-form-ok-1'));

    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ placeOrder: { status: 'SUCCEEDED' } });
  });
});

describe('a bad manifest', () => {
  it('stops the gateway process at start-up with exit code 1 and a message naming FANOUT_TRUSTED_DOCUMENTS', async () => {
    const gateway = spawnGateway({ FANOUT_TRUSTED_DOCUMENTS: join(dir, 'missing.json') });

    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr()).toMatch(/FANOUT_TRUSTED_DOCUMENTS: cannot read the file \(ENOENT\)/);
    expect(gateway.stdout()).not.toMatch(/ready/);
  });
});
