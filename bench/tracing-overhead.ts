// What tracing costs: the traced gateway against the untraced one from the same bench run.
import type { SystemMeasurement } from './measure-system.js';
import type { ExportedSpans, TracedRun } from './tracing-scenario.js';

/** Ratios are traced / untraced, so 1.00x means tracing costs nothing measurable. */
export interface TracingOverhead {
  readonly traced: SystemMeasurement;
  readonly exported: ExportedSpans;
  readonly ratios: {
    readonly requestsPerSecond: number;
    readonly p50: number;
    readonly p99: number;
    readonly cpuPerRequest: number;
  };
  /** Traced minus untraced p50 at one connection, in ms. */
  readonly unloadedP50DeltaMs: number;
  /** Spans received by the sink / `traced.mutationsSent` (samples + warm-up + loaded + unloaded). */
  readonly spansPerMutation: number;
}

/** Compares the traced run with the untraced gateway measurement. */
export function compareTracing(untraced: SystemMeasurement, run: TracedRun): TracingOverhead {
  const { traced, exported } = run;
  return {
    traced,
    exported,
    ratios: {
      requestsPerSecond: traced.loaded.requestsPerSecond / untraced.loaded.requestsPerSecond,
      p50: traced.loaded.p50Ms / untraced.loaded.p50Ms,
      p99: traced.loaded.p99Ms / untraced.loaded.p99Ms,
      cpuPerRequest: traced.cpuMsPerRequest / untraced.cpuMsPerRequest,
    },
    unloadedP50DeltaMs: traced.unloaded.p50Ms - untraced.unloaded.p50Ms,
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

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const signed = (value: number, digits: number) => `${value >= 0 ? '+' : ''}${fixed(value, digits)}`;

/** The report block, one line per figure. */
export function formatTracingOverhead(overhead: TracingOverhead): string[] {
  const { traced, exported, ratios } = overhead;
  const kib = exported.bytes / 1024;
  return [
    `tracing overhead (${traced.name} vs gateway: OTLP/HTTP JSON, BatchSpanProcessor defaults, to a sink in the bench process):`,
    `  ${traced.name}: ${fixed(traced.loaded.requestsPerSecond, 0)} req/s, p50 ${fixed(traced.loaded.p50Ms, 2)} ms, p99 ${fixed(traced.loaded.p99Ms, 2)} ms, CPU ${fixed(traced.cpuMsPerRequest, 3)} ms/req, unloaded p50 ${fixed(traced.unloaded.p50Ms, 2)} ms`,
    `  traced/untraced req/s        ${fixed(ratios.requestsPerSecond, 2)}x`,
    `  traced/untraced p50          ${fixed(ratios.p50, 2)}x`,
    `  traced/untraced p99          ${fixed(ratios.p99, 2)}x`,
    `  traced/untraced CPU/request  ${fixed(ratios.cpuPerRequest, 2)}x`,
    `  unloaded p50 delta           ${signed(overhead.unloadedP50DeltaMs, 2)} ms`,
    `  spans per mutation           ${fixed(overhead.spansPerMutation, 2)}  (${exported.spans} spans / ${traced.mutationsSent} mutations sent in samples + warm-up + loaded + unloaded; ${exported.exportRequests} exports, ${fixed(kib / 1024, 1)} MiB, read ${fixed(exported.waitedMs / 1000, 1)} s after the last phase)`,
    `  context: load generator + sink ${fixed(traced.loadGeneratorCpuMsPerRequest, 3)} CPU ms/req, upstreams ${fixed(traced.upstreamCpuMsPerRequest, 3)}`,
  ];
}
