// How many HTTP requests each demo upstream has received so far (its request-stats admin route).
import { REQUEST_STATS_PATH } from '../src/demo/index.js';
import type { DemoUpstreams } from './demo-upstreams.js';

/** Requests received so far by target id: `inventory` and `crm`. */
export async function upstreamRequestTotals(upstreams: DemoUpstreams): Promise<Record<string, number>> {
  const [inventory, crm] = await Promise.all([
    requestTotal(upstreams.inventoryUrl),
    requestTotal(upstreams.crmUrl),
  ]);
  return { inventory, crm };
}

async function requestTotal(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}${REQUEST_STATS_PATH}`);
  if (!response.ok) throw new Error(`GET ${baseUrl}${REQUEST_STATS_PATH} answered ${response.status}`);
  return ((await response.json()) as { total: number }).total;
}
