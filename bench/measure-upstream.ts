// The slowest upstream called directly with one connection: the floor any fan-out's latency stands on.
import { DEMO_CRM_API_KEY } from '../src/demo/index.js';
import { type LoadResult, runLoad } from './load.js';

/**
 * Measures the demo CRM (the slowest target) without any fan-out in front of it, so the gateway's
 * unloaded p50 can be compared with what the upstream really takes (its timer and framework jitter
 * included), not only with its configured latency.
 */
export function measureSlowestUpstream(crmUrl: string, durationS: number): Promise<LoadResult> {
  return runLoad({
    url: `${crmUrl}/crm/log_activity`,
    body: JSON.stringify({ customerId: 'CUST-1', orderId: 'bench-direct', type: 'order_placed' }),
    headers: { 'x-api-key': DEMO_CRM_API_KEY },
    connections: 1,
    durationS,
    verifyBody: (body) => body?.includes('"activityId"') === true,
  });
}
