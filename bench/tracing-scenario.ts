// The tracing scenario: a second gateway exporting spans over OTLP/HTTP to a sink in this process.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchSettings } from './bench-settings.js';
import { benchmarkSystem } from './benchmark-system.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import type { MeasureContext, SystemMeasurement } from './measure-system.js';
import { type OtlpSink, startOtlpSink } from './otlp-sink.js';
import { type GatewayVariant, startGateway } from './start-systems.js';

/** The traced gateway's name in the report. */
export const TRACED_GATEWAY_NAME = 'gateway+tracing';

/** The BatchSpanProcessor exports at least every 5 s (its default); a quiet spell longer than that means done. */
const QUIET_MS = 6_000;
/** Give up waiting for exports after this long, and report what arrived. */
const MAX_WAIT_MS = 30_000;
const POLL_MS = 250;

/** What the sink received from the traced gateway once its exports had settled. */
export interface ExportedSpans {
  readonly spans: number;
  readonly exportRequests: number;
  readonly bytes: number;
  /** Requests the sink refused (wrong path or content type, unreadable body). */
  readonly rejected: number;
  /** How long after the last measured phase the counts were read. */
  readonly waitedMs: number;
}

/** The traced gateway's measurement with what it exported. */
export interface TracedRun {
  readonly traced: SystemMeasurement;
  readonly exported: ExportedSpans;
}

/**
 * Private: waits until the span count has not grown for QUIET_MS (or MAX_WAIT_MS passed), so spans
 * still in the batch processor's buffer when the last phase ended are counted too.
 */
async function waitForExportsToSettle(sink: OtlpSink): Promise<ExportedSpans> {
  const started = Date.now();
  let lastCount = sink.spans();
  let lastChange = started;
  while (Date.now() - lastChange < QUIET_MS && Date.now() - started < MAX_WAIT_MS) {
    await sleep(POLL_MS);
    if (sink.spans() !== lastCount) {
      lastCount = sink.spans();
      lastChange = Date.now();
    }
  }
  return {
    spans: sink.spans(),
    exportRequests: sink.requests(),
    bytes: sink.bytes(),
    rejected: sink.rejected(),
    waitedMs: Date.now() - started,
  };
}

/** Measures the gateway with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a fresh sink, then counts its spans. */
export async function measureTracedGateway(
  upstreams: DemoUpstreams,
  settings: BenchSettings,
  context: MeasureContext,
): Promise<TracedRun> {
  const sink = await startOtlpSink();
  const variant: GatewayVariant = {
    name: TRACED_GATEWAY_NAME,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_SERVICE_NAME: 'fanout-gateway-bench' },
  };
  try {
    const { extra: exported, ...traced } = await benchmarkSystem(
      () => startGateway(upstreams, settings, variant),
      context,
      () => {
        context.log(
          `${TRACED_GATEWAY_NAME}: waiting for span exports to settle (${QUIET_MS / 1000} s quiet)`,
        );
        return waitForExportsToSettle(sink);
      },
    );
    if (!exported) throw new Error('the span count was not read');
    return { traced, exported };
  } finally {
    await sink.close();
  }
}
