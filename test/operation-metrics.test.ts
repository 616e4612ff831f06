// GraphQL-level metrics over real HTTP: requests and durations per operation, client and outcome, caps that hold, build info.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pMap from 'p-map';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/auth/index.js';
import { order, PLACE_ORDER } from './support/operations.js';
import { parsePrometheus, type Sample, sampleValue } from './support/parse-prometheus.js';
import { sendGraphQL } from './support/send-graphql.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const TARGETS_OVERVIEW = 'query TargetsOverview { targets { target circuit } }';
const ANONYMOUS_TARGETS = '{ targets { target } }';
const BROKEN_QUERY = 'query BrokenDashboard { targets { target noSuchField } }';
const CLIENT_NAME = 'apollographql-client-name';

async function scrape(gateway: TestGateway): Promise<Sample[]> {
  const response = await fetch(`${gateway.operatorUrl}/metrics`);
  return parsePrometheus(await response.text());
}

const requests = (samples: Sample[], labels: Record<string, string>) =>
  sampleValue(samples, 'fanout_graphql_requests_total', labels);
const durationCount = (samples: Sample[], labels: Record<string, string>) =>
  sampleValue(samples, 'fanout_graphql_request_duration_seconds_count', labels);
const durationSum = (samples: Sample[], labels: Record<string, string>) =>
  sampleValue(samples, 'fanout_graphql_request_duration_seconds_sum', labels);
const seriesOf = (samples: Sample[], name: string) => samples.filter((sample) => sample.name === name);

describe('per operation and client', () => {
  let running: TestGateway;
  let samples: Sample[];

  beforeAll(async () => {
    running = await startTestGateway();
    const web = { [CLIENT_NAME]: 'web-shop' };
    await running.graphql(PLACE_ORDER, { input: order('o-metrics-1') }, web);
    await running.graphql(PLACE_ORDER, { input: order('o-metrics-2') }, web);
    await running.graphql(PLACE_ORDER, { input: order('o-metrics-3', { items: [] }) }, web);
    await running.graphql(TARGETS_OVERVIEW, undefined, { [CLIENT_NAME]: 'ops-dashboard' });
    await running.graphql(ANONYMOUS_TARGETS);
    await running.graphql(BROKEN_QUERY, undefined, { [CLIENT_NAME]: 'ops-dashboard' });
    await running.graphql('query Unfinished { targets {', undefined, web);
    samples = await scrape(running);
  });
  afterAll(async () => {
    await running.close();
  });

  it('counts successful requests per operation name, type and client', () => {
    const placeOrder = { operation_name: 'PlaceOrder', operation_type: 'mutation', client: 'web-shop' };
    expect(requests(samples, { ...placeOrder, outcome: 'success' })).toBe(2);
    expect(
      requests(samples, {
        operation_name: 'TargetsOverview',
        operation_type: 'query',
        client: 'ops-dashboard',
        outcome: 'success',
      }),
    ).toBe(1);
  });

  it('times every request per operation and client, whatever its outcome', () => {
    const placeOrder = { operation_name: 'PlaceOrder', operation_type: 'mutation', client: 'web-shop' };
    expect(durationCount(samples, placeOrder)).toBe(3);
    expect(durationSum(samples, placeOrder)).toBeGreaterThan(0);
    expect(
      sampleValue(samples, 'fanout_graphql_request_duration_seconds_bucket', { ...placeOrder, le: '+Inf' }),
    ).toBe(3);
  });

  it('labels an anonymous operation (anonymous) and a caller without a client name anonymous', () => {
    const anonymous = { operation_name: '(anonymous)', operation_type: 'query', client: 'anonymous' };
    expect(requests(samples, { ...anonymous, outcome: 'success' })).toBe(1);
    expect(durationCount(samples, anonymous)).toBe(1);
  });

  it('labels a GraphQL error with the code the client saw on its first error', () => {
    expect(
      requests(samples, {
        operation_name: 'PlaceOrder',
        operation_type: 'mutation',
        client: 'web-shop',
        outcome: 'BAD_USER_INPUT',
      }),
    ).toBe(1);
  });

  it('counts a document that fails validation under its operation name, and one that does not parse as (unknown)', () => {
    expect(
      requests(samples, {
        operation_name: 'BrokenDashboard',
        operation_type: 'query',
        client: 'ops-dashboard',
        outcome: 'GRAPHQL_VALIDATION_FAILED',
      }),
    ).toBe(1);
    expect(
      requests(samples, {
        operation_name: '(unknown)',
        operation_type: 'unknown',
        client: 'web-shop',
        outcome: 'GRAPHQL_PARSE_FAILED',
      }),
    ).toBe(1);
  });

  it('counts each request exactly once', () => {
    const total = seriesOf(samples, 'fanout_graphql_requests_total').reduce((sum, s) => sum + s.value, 0);
    expect(total).toBe(7);
  });

  it('exposes fanout_build_info = 1 with the package version and the Node.js version', () => {
    expect(
      sampleValue(samples, 'fanout_build_info', { version: PACKAGE_VERSION, node_version: process.version }),
    ).toBe(1);
  });

  it('says the package version in /healthz on both listeners', async () => {
    const publicHealth = await fetch(running.url.replace(/\/graphql$/, '/healthz'));
    const operatorHealth = await fetch(`${running.operatorUrl}/healthz`);
    expect(await publicHealth.json()).toEqual({ status: 'ok', version: PACKAGE_VERSION });
    expect(await operatorHealth.json()).toEqual({ status: 'ok', version: PACKAGE_VERSION });
  });
});

describe('label caps', () => {
  let running: TestGateway | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('keeps 1 000 distinct operation and client names to 100 labels each plus "other", and counts them all', async () => {
    running = await startTestGateway();
    const gateway = running;
    const indexes = Array.from({ length: 1000 }, (_, index) => index);
    await pMap(
      indexes,
      async (index) => {
        const answer = await gateway.graphql(`query Dashboard${index} { targets { target } }`, undefined, {
          [CLIENT_NAME]: `tenant-${index}`,
        });
        expect(answer.status).toBe(200);
      },
      { concurrency: 16 },
    );
    const samples = await scrape(gateway);
    const series = seriesOf(samples, 'fanout_graphql_requests_total');
    const operationNames = new Set(series.map((sample) => sample.labels.operation_name));
    const clients = new Set(series.map((sample) => sample.labels.client));
    expect(operationNames.size).toBe(101);
    expect(clients.size).toBe(101);
    expect(operationNames).toContain('other');
    expect(clients).toContain('other');
    expect(series.length).toBeLessThanOrEqual(101);
    expect(series.reduce((sum, sample) => sum + sample.value, 0)).toBe(1000);
    expect(seriesOf(samples, 'fanout_graphql_request_duration_seconds_count').length).toBeLessThanOrEqual(
      101,
    );
    // A thousand real requests: a generous bound, so a loaded machine only makes the test slower.
  }, 120_000);

  it('labels a huge client name and a huge operation name "other" without echoing them', async () => {
    running = await startTestGateway();
    const hugeName = `Op${'x'.repeat(5000)}`;
    const hugeClient = 'c'.repeat(8000);
    const answer = await running.graphql(`query ${hugeName} { targets { target } }`, undefined, {
      [CLIENT_NAME]: hugeClient,
    });
    expect(answer.status).toBe(200);
    const text = await (await fetch(`${running.operatorUrl}/metrics`)).text();
    expect(text).not.toContain('x'.repeat(100));
    expect(text).not.toContain('c'.repeat(100));
    const samples = parsePrometheus(text);
    expect(
      requests(samples, {
        operation_name: 'other',
        operation_type: 'query',
        client: 'other',
        outcome: 'success',
      }),
    ).toBe(1);
  });
});

describe('requests refused before an operation runs', () => {
  let running: TestGateway | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('labels an authenticated caller by its client id, never by its self-declared name, and counts 401s as refused', async () => {
    const key = 'fgk_metrics-test-key-0001';
    running = await startTestGateway({
      env: { AUTH_API_KEYS: `web:${hashApiKey(key)}:orders:write,targets:read` },
    });
    const accepted = await sendGraphQL(running.url, TARGETS_OVERVIEW, undefined, {
      'x-api-key': key,
      [CLIENT_NAME]: 'spoofed-name',
    });
    const refused = await sendGraphQL(running.url, TARGETS_OVERVIEW, undefined, { [CLIENT_NAME]: 'web' });
    expect([accepted.status, refused.status]).toEqual([200, 401]);

    const gateway = running;
    // The refusal is counted once the response is finished, which may be just after the client has it.
    await waitUntil(
      async () =>
        sampleValue(await scrape(gateway), 'fanout_graphql_refused_requests_total', {
          status_code: '401',
        }) === 1,
      'the 401 is counted',
    );
    const samples = await scrape(gateway);
    const series = seriesOf(samples, 'fanout_graphql_requests_total');
    expect(series.map((sample) => [sample.labels.client, sample.labels.outcome, sample.value])).toEqual([
      ['web', 'success', 1],
    ]);
  });

  it('counts malformed HTTP requests refused by the body parser and by Apollo, not as operations', async () => {
    running = await startTestGateway();
    const post = (body: string) =>
      fetch(running?.url ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post('{"query": ')).status).toBe(400);
    expect((await post('[{"query": "{ targets { target } }"}]')).status).toBe(400);

    const gateway = running;
    await waitUntil(
      async () =>
        sampleValue(await scrape(gateway), 'fanout_graphql_refused_requests_total', {
          status_code: '400',
        }) === 2,
      'both refusals are counted',
    );
    const samples = await scrape(gateway);
    expect(seriesOf(samples, 'fanout_graphql_requests_total')).toEqual([]);
  });

  it('counts a query outside the trusted documents as refused, and a manifest operation under its name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'operation-metrics-'));
    try {
      const manifestPath = join(dir, 'persisted-documents.json');
      const documentId = `sha256:${createHash('sha256').update(TARGETS_OVERVIEW).digest('hex')}`;
      writeFileSync(manifestPath, JSON.stringify({ [documentId]: TARGETS_OVERVIEW }));
      running = await startTestGateway({ env: { FANOUT_TRUSTED_DOCUMENTS: manifestPath } });
      const post = (body: Record<string, unknown>) =>
        fetch(running?.url ?? '', {
          method: 'POST',
          headers: { 'content-type': 'application/json', [CLIENT_NAME]: 'kiosk' },
          body: JSON.stringify(body),
        });
      expect((await post({ documentId })).status).toBe(200);
      expect((await post({ query: ANONYMOUS_TARGETS })).status).toBe(400);

      const gateway = running;
      await waitUntil(
        async () =>
          sampleValue(await scrape(gateway), 'fanout_graphql_refused_requests_total', {
            status_code: '400',
          }) === 1,
        'the refusal is counted',
      );
      const series = seriesOf(await scrape(gateway), 'fanout_graphql_requests_total');
      expect(
        series.map((sample) => [sample.labels.operation_name, sample.labels.client, sample.value]),
      ).toEqual([['TargetsOverview', 'kiosk', 1]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
