// What tracing costs: the traced gateway against the untraced one from the same bench run.
import {
  compareToGateway,
  fixed,
  formatGatewayOverhead,
  formatVariantFigures,
  type GatewayOverhead,
  overheadColumnWidth,
} from './gateway-overhead.js';
import type { SystemMeasurement } from './measure-system.js';
import type { ExportedSpans, TracedRun } from './tracing-scenario.js';

/** Ratios are traced / untraced, so 1.00x means tracing costs nothing measurable. */
export interface TracingOverhead extends GatewayOverhead {
  readonly traced: SystemMeasurement;
  readonly exported: ExportedSpans;
  /** Spans received by the sink / `traced.mutationsSent` (samples + warm-up + loaded + unloaded). */
  readonly spansPerMutation: number;
}

/** Compares the traced run with the untraced gateway measurement. */
export function compareTracing(untraced: SystemMeasurement, run: TracedRun): TracingOverhead {
  const { traced, exported } = run;
  return {
    traced,
    exported,
    ...compareToGateway(untraced, traced),
    spansPerMutation: exported.spans / Math.max(traced.mutationsSent, 1),
  };
}

/** Problems that make the overhead numbers meaningless: no spans means tracing was not on at all. */
export function tracingProblems(overhead: TracingOverhead): string[] {
  const { traced, exported } = overhead;
  const problems: string[] = [];
  if (exported.spans === 0)
    problems.push(
      `${traced.name}: the OTLP sink received no spans (${exported.exportRequests} export requests): tracing was not on, so its overhead was not measured`,
    );
  if (exported.rejected > 0)
    problems.push(`${traced.name}: the OTLP sink refused ${exported.rejected} requests`);
  return problems;
}

const LABEL = 'traced/untraced';

/** The report block, one line per figure. */
export function formatTracingOverhead(overhead: TracingOverhead): string[] {
  const { traced, exported } = overhead;
  const kib = exported.bytes / 1024;
  return [
    `tracing overhead (${traced.name} vs gateway: OTLP/HTTP JSON, BatchSpanProcessor defaults, to a sink in the bench process):`,
    `  ${traced.name}: ${formatVariantFigures(traced)}`,
    ...formatGatewayOverhead(overhead, { label: LABEL, indent: '  ' }),
    `  ${'spans per mutation'.padEnd(overheadColumnWidth(LABEL))}${fixed(overhead.spansPerMutation, 2)}  (${exported.spans} spans / ${traced.mutationsSent} mutations sent in samples + warm-up + loaded + unloaded; ${exported.exportRequests} exports, ${fixed(kib / 1024, 1)} MiB, read ${fixed(exported.waitedMs / 1000, 1)} s after the last phase)`,
    `  context: load generator + sink ${fixed(traced.loadGeneratorCpuMsPerRequest, 3)} CPU ms/req, upstreams ${fixed(traced.upstreamCpuMsPerRequest, 3)}`,
  ];
}
