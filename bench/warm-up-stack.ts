// Before the first measured system: load through a throwaway gateway, so the upstreams and the load generator are warm for every system alike.
import type { BenchSettings } from './bench-settings.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import { runLoad } from './load.js';
import type { MeasureContext } from './measure-system.js';
import { BENCH_REQUEST_BODY, reportsSuccess } from './scenario.js';
import { startGateway } from './start-systems.js';

/**
 * Each measured system is a fresh process with the same short warm-up, but the processes they share
 * (the demo upstreams, this load generator) start cold: without this, the first system measured (the
 * plain gateway) ran them cold, and identical gateways after it looked up to ~3x faster. Nothing here is
 * recorded; a gateway that fails now fails its own measurement next.
 */
export async function warmUpStack(
  upstreams: DemoUpstreams,
  settings: BenchSettings,
  context: MeasureContext,
): Promise<void> {
  if (settings.stackWarmupS === 0) return;
  context.log(
    `warming up the upstreams and the load generator: ${settings.stackWarmupS} s through a throwaway gateway`,
  );
  // No profile of a process that is not measured.
  const { sut, process } = await startGateway(upstreams, { ...settings, profileDir: undefined });
  try {
    await runLoad({
      url: sut.url,
      body: BENCH_REQUEST_BODY,
      connections: settings.connections,
      durationS: settings.stackWarmupS,
      verifyBody: reportsSuccess,
    });
  } finally {
    await process.stop();
  }
}
