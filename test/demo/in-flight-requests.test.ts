// In-flight tracking of the demo upstreams: contract requests open now, and the most open at once.
import { describe, expect, it } from 'vitest';
import type { DemoServer } from '../../src/demo/index.js';
import { waitUntil } from '../support/wait-until.js';
import { activityBody, call, crmAuth } from './demo-http.js';
import { useDemoServers } from './demo-servers.js';

const start = useDemoServers();

const logActivity = (server: DemoServer, orderId: string, signal?: AbortSignal) =>
  call(server.url, 'POST', '/crm/log_activity', { headers: crmAuth, body: activityBody(orderId), signal });

/** Waits until `server.inFlight()` is `count`: the server sees a close a little after the client causes it. */
function untilInFlight(server: DemoServer, count: number): Promise<void> {
  return waitUntil(
    () => server.inFlight() === count,
    `${count} requests are in flight (now ${server.inFlight()})`,
  );
}

/** Starts `count` calls that hang on the server until `abort` is called; resolves once all have arrived. */
async function hangingCalls(server: DemoServer, count: number) {
  server.faults.enqueue(...Array.from({ length: count }, () => ({ kind: 'hang' as const })));
  const controller = new AbortController();
  const calls = Array.from({ length: count }, (_, index) =>
    logActivity(server, `o-hang-${index}`, controller.signal).catch((error: unknown) => error),
  );
  await untilInFlight(server, count);
  return {
    async abort() {
      controller.abort();
      await Promise.all(calls);
    },
  };
}

describe('demo upstream in-flight tracking', () => {
  it('counts an answered request out, so sequential calls peak at one', async () => {
    const server = await start.crm({ latencyMs: 20 });
    for (const orderId of ['o-1', 'o-2', 'o-3']) {
      expect((await logActivity(server, orderId)).status).toBe(201);
    }

    expect(server.requestCount()).toBe(3);
    expect(server.inFlight()).toBe(0);
    expect(server.peakInFlight()).toBe(1);
  });

  it('keeps the most requests open at once as the peak, and counts out requests the client gives up on', async () => {
    const server = await start.crm();
    const hanging = await hangingCalls(server, 3);
    expect(server.peakInFlight()).toBe(3);

    await hanging.abort();
    await untilInFlight(server, 0);
    expect(server.peakInFlight()).toBe(3);
  });

  it('counts out a request whose connection the server drops', async () => {
    const server = await start.crm();
    server.faults.enqueue({ kind: 'drop' });
    await expect(logActivity(server, 'o-1')).rejects.toThrow();

    await untilInFlight(server, 0);
    expect(server.peakInFlight()).toBe(1);
  });

  it('counts neither admin routes nor unknown paths', async () => {
    const server = await start.crm();
    await call(server.url, 'GET', '/__demo/requests');
    await call(server.url, 'GET', '/__demo/faults');
    await call(server.url, 'POST', '/crm/nowhere', { headers: crmAuth, body: {} });

    expect(server.peakInFlight()).toBe(0);
  });

  it('starts a new peak on clearRequests from the requests still in flight', async () => {
    const server = await start.crm();
    const hanging = await hangingCalls(server, 2);
    server.clearRequests();
    expect(server.peakInFlight()).toBe(2);

    await hanging.abort();
    await untilInFlight(server, 0);
    server.clearRequests();
    expect(server.peakInFlight()).toBe(0);
    await logActivity(server, 'o-after');
    expect(server.peakInFlight()).toBe(1);
  });
});
