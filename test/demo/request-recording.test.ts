// Request recording of the demo upstreams: what arrived, bounded history, unbounded per-route counts.
import { describe, expect, it } from 'vitest';
import { activityBody, call, crmAuth } from './demo-http.js';
import { useDemoServers } from './demo-servers.js';

const start = useDemoServers();
const startCrm = (recordLimit?: number) => start.crm({ recordLimit });

describe('demo upstream request recording', () => {
  it('records method, path, headers, parsed body and arrival time of each contract request', async () => {
    const server = await startCrm();
    const before = Date.now();
    await call(server.url, 'POST', '/crm/log_activity?trace=1', {
      headers: { ...crmAuth, 'idempotency-key': 'k-1', 'x-request-id': 'req-1' },
      body: activityBody('o-1'),
    });

    expect(server.requests).toHaveLength(1);
    const [recorded] = server.requests;
    expect(recorded).toMatchObject({
      method: 'POST',
      path: '/crm/log_activity',
      route: '/crm/log_activity',
      body: activityBody('o-1'),
    });
    expect(recorded?.headers['idempotency-key']).toBe('k-1');
    expect(recorded?.headers['x-request-id']).toBe('req-1');
    expect(recorded?.receivedAt).toBeGreaterThanOrEqual(before);
  });

  it('records requests that are refused or faulted too', async () => {
    const server = await startCrm();
    server.faults.enqueue({ kind: 'status', status: 503 });
    await call(server.url, 'POST', '/crm/log_activity', { headers: crmAuth, body: activityBody('o-1') });
    await call(server.url, 'POST', '/crm/log_activity', { body: activityBody('o-2') });
    await call(server.url, 'POST', '/crm/log_activity', { headers: crmAuth, body: '{not json' });

    expect(server.requestCount('/crm/log_activity')).toBe(3);
    expect(server.requests.map((request) => request.body)).toEqual([
      activityBody('o-1'),
      activityBody('o-2'),
      undefined,
    ]);
  });

  it('counts requests per route pattern, for every route, or in total', async () => {
    const server = await startCrm();
    await call(server.url, 'DELETE', '/crm/activities/act_1', { headers: crmAuth });
    await call(server.url, 'DELETE', '/crm/activities/act_2', { headers: crmAuth });
    await call(server.url, 'GET', '/crm/customers/CUST-1/activities', { headers: crmAuth });

    expect(server.requestCount('/crm/activities/:activityId')).toBe(2);
    expect(server.requestCount('/crm/customers/:customerId/activities')).toBe(1);
    expect(server.requestCount('/crm/log_activity')).toBe(0);
    expect(server.requestCount()).toBe(3);
    expect(server.requests.map((request) => request.path)).toEqual([
      '/crm/activities/act_1',
      '/crm/activities/act_2',
      '/crm/customers/CUST-1/activities',
    ]);
  });

  it('keeps only the last recordLimit requests but counts all of them', async () => {
    const server = await startCrm(3);
    for (let index = 1; index <= 8; index++) {
      await call(server.url, 'POST', '/crm/log_activity', {
        headers: crmAuth,
        body: activityBody(`o-${index}`),
      });
    }

    expect(server.requestCount('/crm/log_activity')).toBe(8);
    expect(server.requests.map((request) => (request.body as { orderId: string }).orderId)).toEqual([
      'o-6',
      'o-7',
      'o-8',
    ]);
  });

  it('forgets recorded requests and counts on clearRequests', async () => {
    const server = await startCrm();
    await call(server.url, 'GET', '/crm/customers/CUST-1/activities', { headers: crmAuth });
    server.clearRequests();

    expect(server.requests).toHaveLength(0);
    expect(server.requestCount()).toBe(0);
  });

  it('serves its request counts per route on GET /__demo/requests, without recording that call', async () => {
    const server = await startCrm();
    await call(server.url, 'POST', '/crm/log_activity', { headers: crmAuth, body: activityBody('o-1') });
    await call(server.url, 'POST', '/crm/log_activity', { headers: crmAuth, body: activityBody('o-2') });

    const answer = await call(server.url, 'GET', '/__demo/requests');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ total: 2, byRoute: { '/crm/log_activity': 2 } });
    expect(server.requestCount()).toBe(2);
  });
});
