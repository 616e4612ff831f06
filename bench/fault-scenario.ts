// The fault scenario: the gateway under load while the CRM answers 503 to a share of requests at random.
import { setTimeout as sleep } from 'node:timers/promises';
import { FAULT_ADMIN_PATH, REQUEST_STATS_PATH } from '../src/demo/index.js';
import type { BenchSettings } from './bench-settings.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import { type LoadResult, runLoad } from './load.js';
import type { SystemUnderTest } from './measure-system.js';
import { BENCH_REQUEST_BODY, reportsSuccess } from './scenario.js';

/** Share of CRM requests answered with 503. */
export const CRM_FAILURE_RATE = 0.3;

export interface FaultMeasurement {
  readonly failureRate: number;
  readonly load: LoadResult;
  /** Mutations whose status was SUCCEEDED, from 0 to 1. */
  readonly successRate: number;
  /** Upstream requests per mutation: 1 means no retries; above 1 is what retries cost. */
  readonly amplification: { readonly inventory: number; readonly crm: number };
}

/** Breaks the demo CRM, runs the loaded phase against the gateway, and restores the CRM. */
export async function measureFaultScenario(
  sut: SystemUnderTest,
  upstreams: DemoUpstreams,
  settings: BenchSettings,
): Promise<FaultMeasurement> {
  const faults = { failureRate: CRM_FAILURE_RATE, failure: { kind: 'status', status: 503 } };
  await admin(upstreams.crmUrl, 'PUT', FAULT_ADMIN_PATH, faults);
  try {
    const before = await Promise.all([requestTotal(upstreams.inventoryUrl), requestTotal(upstreams.crmUrl)]);
    const load = await runLoad({
      url: sut.url,
      body: BENCH_REQUEST_BODY,
      headers: sut.requestHeaders,
      connections: settings.connections,
      durationS: settings.durationS,
      verifyBody: reportsSuccess,
    });
    // Requests still in flight when autocannon stopped reach the upstreams too: let them finish, count them.
    await sleep(1000);
    const after = await Promise.all([requestTotal(upstreams.inventoryUrl), requestTotal(upstreams.crmUrl)]);
    const mutations = Math.max(load.sent, 1);
    return {
      failureRate: CRM_FAILURE_RATE,
      load,
      successRate: (load.responses - load.mismatches - load.non2xx) / Math.max(load.responses, 1),
      amplification: {
        inventory: (after[0] - before[0]) / mutations,
        crm: (after[1] - before[1]) / mutations,
      },
    };
  } finally {
    await admin(upstreams.crmUrl, 'DELETE', FAULT_ADMIN_PATH);
  }
}

async function requestTotal(baseUrl: string): Promise<number> {
  const stats = (await (await admin(baseUrl, 'GET', REQUEST_STATS_PATH)).json()) as { total: number };
  return stats.total;
}

async function admin(baseUrl: string, method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${baseUrl}${path} answered ${response.status}`);
  return response;
}
