// Runs the three durable delivery scenarios one after the other against the shared demo upstreams.
import { type AsyncAcceptanceMeasurement, measureAsyncAcceptance } from './async-acceptance.js';
import type { BenchSettings } from './bench-settings.js';
import { measureDeliveryThroughput, type ThroughputRun } from './delivery-throughput.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import { measureOutageLag, type OutageMeasurement } from './outage-lag.js';

/** What the delivery scenarios measured, the input of `buildDeliveryReport`. */
export interface DeliveryMeasurements {
  readonly acceptance: AsyncAcceptanceMeasurement;
  readonly throughput: { readonly batched: ThroughputRun; readonly single: ThroughputRun };
  readonly outage: OutageMeasurement;
}

/** ASYNC vs SYNC (worker off), then drains with batching off and on (standalone worker), then the CRM outage. */
export async function measureDelivery(
  upstreams: DemoUpstreams,
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<DeliveryMeasurements> {
  const acceptance = await measureAsyncAcceptance(upstreams, settings, log);
  const n = settings.deliveriesPerTarget;
  log(`delivery: throughput, ${n} deliveries per target, standalone worker, batching off`);
  const single = await measureDeliveryThroughput(upstreams, n, false, settings.profileDir);
  log(`delivery: throughput, ${n} deliveries per target, standalone worker, batching on`);
  const batched = await measureDeliveryThroughput(upstreams, n, true, settings.profileDir);
  const outage = await measureOutageLag(upstreams, settings, log);
  return { acceptance, throughput: { batched, single }, outage };
}
