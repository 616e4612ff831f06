// Contract behaviour of the demo CRM upstream over real HTTP: log, batch, delete, list, idempotency.
import { describe, expect, it } from 'vitest';
import type { CrmDemoServer } from '../../src/demo/index.js';
import { activityBody, call, crmAuth } from './demo-http.js';
import { useDemoServers } from './demo-servers.js';

const start = useDemoServers();
const startCrm = start.crm;

const logActivity = (server: CrmDemoServer, body: unknown, headers: Record<string, string> = {}) =>
  call(server.url, 'POST', '/crm/log_activity', { body, headers: { ...crmAuth, ...headers } });

type BatchAnswer = { results: { status: number; body: Record<string, unknown> }[] };

describe('demo CRM server', () => {
  it('logs an activity and answers 201 with an id and an ISO loggedAt', async () => {
    const server = await startCrm();
    const answer = await logActivity(server, activityBody('order-1', 'CUST-7'));

    expect(answer.status).toBe(201);
    const activity = answer.json<{ loggedAt: string }>();
    expect(activity).toEqual({
      activityId: expect.stringMatching(/^act_/),
      customerId: 'CUST-7',
      orderId: 'order-1',
      type: 'order_placed',
      loggedAt: expect.any(String),
    });
    expect(new Date(activity.loggedAt).toISOString()).toBe(activity.loggedAt);
    expect(server.activitiesOf('CUST-7')).toHaveLength(1);
  });

  it('answers 404 unknown_customer for a customer it does not know', async () => {
    const server = await startCrm({ customers: ['ALICE'] });
    const unknown = await logActivity(server, activityBody('o', 'CUST-1'));
    const known = await logActivity(server, activityBody('o', 'ALICE'));

    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'unknown_customer' });
    expect(known.status).toBe(201);
  });

  it('accepts any customer id when acceptAnyCustomer is set', async () => {
    const server = await startCrm({ acceptAnyCustomer: true });
    const answer = await logActivity(server, activityBody('o', 'SOMEONE-NEW'));

    expect(answer.status).toBe(201);
  });

  it('answers 401 unauthorized without the X-API-Key or with a wrong one', async () => {
    const server = await startCrm({ apiKey: 'secret' });
    const missing = await call(server.url, 'POST', '/crm/log_activity', { body: activityBody('o') });
    const wrong = await logActivity(server, activityBody('o'));
    const right = await logActivity(server, activityBody('o'), { 'x-api-key': 'secret' });

    expect(missing.status).toBe(401);
    expect(missing.json()).toMatchObject({ error: 'unauthorized' });
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(201);
    expect(server.activitiesOf('CUST-1')).toHaveLength(1);
  });

  it('answers 422 invalid_request naming the field when the body breaks the schema', async () => {
    const server = await startCrm();
    const answer = await logActivity(server, { ...activityBody('o'), type: 'order_cancelled' });

    expect(answer.status).toBe(422);
    expect(answer.json()).toMatchObject({
      error: 'invalid_request',
      message: expect.stringContaining('type'),
    });
  });

  it('applies each batch activity independently, one result per activity in order', async () => {
    const server = await startCrm();
    const answer = await call(server.url, 'POST', '/crm/log_activity/batch', {
      headers: crmAuth,
      body: {
        activities: [
          activityBody('o-1'),
          activityBody('o-2', 'NOBODY'),
          { orderId: 'o-3' },
          activityBody('o-4'),
        ],
      },
    });

    expect(answer.status).toBe(200);
    const { results } = answer.json<BatchAnswer>();
    expect(results.map((result) => result.status)).toEqual([201, 404, 422, 201]);
    expect(results[1]?.body).toMatchObject({ error: 'unknown_customer' });
    expect(results[2]?.body).toMatchObject({ message: expect.stringContaining('activities.2.customerId') });
    expect(server.activitiesOf('CUST-1').map((activity) => activity.orderId)).toEqual(['o-4', 'o-1']);
  });

  it('answers 413 for a batch of more than 500 activities and logs none of them', async () => {
    const server = await startCrm();
    const activities = Array.from({ length: 501 }, (_, index) => activityBody(`o-${index}`));
    const answer = await call(server.url, 'POST', '/crm/log_activity/batch', {
      headers: crmAuth,
      body: { activities },
    });

    expect(answer.status).toBe(413);
    expect(server.activitiesOf('CUST-1')).toHaveLength(0);
  });

  it('replays a repeat with the same Idempotency-Key and body, logging it once', async () => {
    const server = await startCrm();
    const first = await logActivity(server, activityBody('o-1'), { 'idempotency-key': 'k' });
    const second = await logActivity(server, activityBody('o-1'), { 'idempotency-key': 'k' });

    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(server.activitiesOf('CUST-1')).toHaveLength(1);
  });

  it('refuses an Idempotency-Key reused with a different body with 422 idempotency_key_reused', async () => {
    const server = await startCrm();
    await logActivity(server, activityBody('o-1'), { 'idempotency-key': 'k' });
    const reused = await logActivity(server, activityBody('o-2'), { 'idempotency-key': 'k' });

    expect(reused.status).toBe(422);
    expect(reused.json()).toMatchObject({ error: 'idempotency_key_reused' });
    expect(server.activitiesOf('CUST-1')).toHaveLength(1);
  });

  it('logs concurrent duplicates with the same key only once', async () => {
    const server = await startCrm({ latencyMs: 50 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        logActivity(server, activityBody('o-1'), { 'idempotency-key': 'same' }),
      ),
    );

    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    expect(answers.filter((answer) => answer.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    expect(server.activitiesOf('CUST-1')).toHaveLength(1);
  });

  it('honours per-item idempotency keys in a batch', async () => {
    const server = await startCrm();
    const item = { ...activityBody('o-1'), idempotencyKey: 'item-1' };
    const send = () =>
      call(server.url, 'POST', '/crm/log_activity/batch', {
        headers: crmAuth,
        body: { activities: [item, item] },
      });
    const first = (await send()).json<BatchAnswer>();
    const second = (await send()).json<BatchAnswer>();

    expect(first.results.map((result) => result.status)).toEqual([201, 201]);
    expect(second.results[0]?.body).toEqual(first.results[0]?.body);
    expect(server.activitiesOf('CUST-1')).toHaveLength(1);
  });

  it('deletes an activity with 204 and answers 204 again when it is already gone', async () => {
    const server = await startCrm();
    const logged = await logActivity(server, activityBody('o-1'));
    const { activityId } = logged.json<{ activityId: string }>();
    const remove = () => call(server.url, 'DELETE', `/crm/activities/${activityId}`, { headers: crmAuth });

    const first = await remove();
    const second = await remove();
    const never = await call(server.url, 'DELETE', '/crm/activities/act_nope', { headers: crmAuth });

    expect([first.status, second.status, never.status]).toEqual([204, 204, 204]);
    expect(first.text).toBe('');
    expect(server.activitiesOf('CUST-1')).toHaveLength(0);
  });

  it('lists a customer’s activities newest first', async () => {
    const server = await startCrm();
    for (const orderId of ['o-1', 'o-2', 'o-3']) await logActivity(server, activityBody(orderId, 'CUST-2'));
    const answer = await call(server.url, 'GET', '/crm/customers/CUST-2/activities', { headers: crmAuth });
    const empty = await call(server.url, 'GET', '/crm/customers/CUST-3/activities', { headers: crmAuth });

    expect(answer.status).toBe(200);
    const { activities } = answer.json<{ activities: { orderId: string }[] }>();
    expect(activities.map((activity) => activity.orderId)).toEqual(['o-3', 'o-2', 'o-1']);
    expect(empty.json()).toEqual({ activities: [] });
  });
});
