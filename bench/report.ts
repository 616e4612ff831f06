// The bench's verdict: gateway vs baseline ratios against the targets, tracing and auth cost, problems, the printed table.
import { type AuthOverhead, authenticationProblems, formatAuthOverhead } from './auth-overhead.js';
import { type DeliveryReport, formatDeliveryReport } from './delivery-report.js';
import type { FaultMeasurement } from './fault-scenario.js';
import type { LoadResult } from './load.js';
import type { SystemMeasurement } from './measure-system.js';
import { formatTracingOverhead, type TracingOverhead, tracingProblems } from './tracing-overhead.js';

/** The performance targets the gateway is held to. */
export const TARGETS = {
  /** Gateway req/s at least this fraction of the baseline's. */
  minThroughputRatio: 0.6,
  /** Gateway p50 with one connection at most this many ms above the slowest upstream's own p50. */
  maxUnloadedOverheadMs: 2,
} as const;

/** What one bench run measured, the input of `buildReport`. */
export interface BenchMeasurements {
  readonly gateway: SystemMeasurement;
  readonly baseline: SystemMeasurement;
  /** The slowest upstream's fixed latency, the floor of any fan-out's latency. */
  readonly maxUpstreamLatencyMs: number;
  /** The slowest upstream called directly with one connection, in the same run. */
  readonly directUpstream: LoadResult;
  /** The gateway while the CRM fails a share of requests. */
  readonly fault: FaultMeasurement;
  /** The gateway with tracing on against the gateway above; absent when skipped (BENCH_TRACING=0). */
  readonly tracing: TracingOverhead | undefined;
  /** The gateway with API key and with JWT authentication against the gateway above; absent when skipped (BENCH_AUTH=0). */
  readonly auth: AuthOverhead | undefined;
  /** ASYNC acceptance, delivery throughput and the CRM outage; absent when skipped (BENCH_DELIVERY=0). */
  readonly delivery: DeliveryReport | undefined;
}

export interface BenchReport extends BenchMeasurements {
  /** Most req/s any system can reach with this many connections: each waits for the slowest upstream. */
  readonly closedLoopCeilingRps: number;
  readonly ratios: {
    readonly requestsPerSecond: number;
    readonly p50: number;
    readonly p99: number;
    readonly cpuPerRequest: number;
  };
  readonly meetsThroughputTarget: boolean;
  readonly meetsUnloadedLatencyTarget: boolean;
  /** Errors, non-2xx and bodies without SUCCEEDED: any of them makes the numbers meaningless. */
  readonly problems: readonly string[];
}

/** Compares the gateway with the baseline, and collects every problem of every system measured. */
export function buildReport(measurements: BenchMeasurements): BenchReport {
  const { gateway, baseline, directUpstream, tracing, auth } = measurements;
  const ratios = {
    requestsPerSecond: gateway.loaded.requestsPerSecond / baseline.loaded.requestsPerSecond,
    p50: gateway.loaded.p50Ms / baseline.loaded.p50Ms,
    p99: gateway.loaded.p99Ms / baseline.loaded.p99Ms,
    cpuPerRequest: gateway.cpuMsPerRequest / baseline.cpuMsPerRequest,
  };
  const systems = [
    gateway,
    baseline,
    ...(tracing ? [tracing.traced] : []),
    ...(auth ? [auth.apiKey.authenticated, auth.jwt.authenticated] : []),
  ];
  return {
    ...measurements,
    closedLoopCeilingRps: (gateway.loaded.connections * 1000) / measurements.maxUpstreamLatencyMs,
    ratios,
    meetsThroughputTarget: ratios.requestsPerSecond >= TARGETS.minThroughputRatio,
    meetsUnloadedLatencyTarget:
      gateway.unloaded.p50Ms <= directUpstream.p50Ms + TARGETS.maxUnloadedOverheadMs,
    problems: [
      ...systems.flatMap(problemsOf),
      ...(tracing ? tracingProblems(tracing) : []),
      ...(auth ? authenticationProblems(auth) : []),
      ...(measurements.delivery?.problems ?? []),
    ],
  };
}

function problemsOf(system: SystemMeasurement): string[] {
  return (['loaded', 'unloaded'] as const).flatMap((phase) => {
    const { errors, timeouts, non2xx, non2xxByStatus, mismatches, responses, errorKinds } = system[phase];
    const statuses = Object.entries(non2xxByStatus).map(([status, count]) => `HTTP ${status}: ${count}`);
    const non2xxLabel = statuses.length > 0 ? `non2xx (${statuses.join(', ')})` : 'non2xx';
    const counts = { errors, timeouts, [non2xxLabel]: non2xx, 'bodies without SUCCEEDED': mismatches };
    const found = Object.entries(counts)
      .filter(([, count]) => count > 0)
      .map(([label, count]) => `${system.name} ${phase}: ${count} ${label}`);
    if (errorKinds.length > 0) found.push(`${system.name} ${phase} errors were: ${errorKinds.join(' | ')}`);
    return responses === 0 ? [...found, `${system.name} ${phase}: no responses at all`] : found;
  });
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** The human-readable table, ratios and (loudly) any problems. */
export function formatReport(report: BenchReport): string {
  const { gateway, baseline, ratios } = report;
  const connections = gateway.loaded.connections;
  const row = (cells: readonly string[]) => cells.map((cell, i) => cell.padStart(i === 0 ? 9 : 13)).join(' ');
  const systemRow = (s: SystemMeasurement) =>
    row([
      s.name,
      fixed(s.loaded.requestsPerSecond, 0),
      fixed(s.loaded.p50Ms, 2),
      fixed(s.loaded.p99Ms, 2),
      fixed(s.cpuMsPerRequest, 3),
      fixed(s.unloaded.p50Ms, 2),
      String(s.loaded.errors + s.loaded.non2xx + s.loaded.mismatches),
    ]);
  const overhead = gateway.unloaded.p50Ms - report.maxUpstreamLatencyMs;
  const direct = report.directUpstream.p50Ms;
  const lines = [
    `Load: ${connections} connections, ${fixed(gateway.loaded.durationS)} s (gateway) / ${fixed(baseline.loaded.durationS)} s (baseline) measured; unloaded: 1 connection.`,
    row(['system', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req', 'unl. p50 ms', 'bad resp.']),
    systemRow(gateway),
    systemRow(baseline),
    '',
    `gateway/baseline req/s        ${fixed(ratios.requestsPerSecond, 2)}x  (target >= ${TARGETS.minThroughputRatio}x)  ${pass(report.meetsThroughputTarget)}`,
    `gateway/baseline p50          ${fixed(ratios.p50, 2)}x`,
    `gateway/baseline p99          ${fixed(ratios.p99, 2)}x`,
    `gateway/baseline CPU/request  ${fixed(ratios.cpuPerRequest, 2)}x`,
    `unloaded p50: slowest upstream alone (CRM, configured ${report.maxUpstreamLatencyMs} ms) ${fixed(direct, 2)} ms; gateway ${fixed(gateway.unloaded.p50Ms, 2)} ms (+${fixed(gateway.unloaded.p50Ms - direct, 2)} ms), baseline ${fixed(baseline.unloaded.p50Ms, 2)} ms (+${fixed(baseline.unloaded.p50Ms - direct, 2)} ms)  (target: gateway <= upstream + ${TARGETS.maxUnloadedOverheadMs} ms)  ${pass(report.meetsUnloadedLatencyTarget)}`,
    `unloaded p50 vs the configured ${report.maxUpstreamLatencyMs} ms: gateway +${fixed(overhead, 2)} ms, baseline +${fixed(baseline.unloaded.p50Ms - report.maxUpstreamLatencyMs, 2)} ms (the upstream's own timer and framework add ${fixed(direct - report.maxUpstreamLatencyMs, 2)} ms)`,
    `context, CPU ms/req during the loaded run: upstreams ${fixed(gateway.upstreamCpuMsPerRequest, 3)} (gateway run) / ${fixed(baseline.upstreamCpuMsPerRequest, 3)} (baseline run); load generator ${fixed(gateway.loadGeneratorCpuMsPerRequest, 3)} / ${fixed(baseline.loadGeneratorCpuMsPerRequest, 3)}`,
    `closed-loop ceiling at ${connections} connections: ${fixed(report.closedLoopCeilingRps, 0)} req/s (connections / ${report.maxUpstreamLatencyMs} ms); req/s near it is latency-bound, not CPU-bound`,
    `one-core capacity implied by CPU ms/req: gateway ~${fixed(1000 / gateway.cpuMsPerRequest, 0)} req/s, baseline ~${fixed(1000 / baseline.cpuMsPerRequest, 0)} req/s`,
  ];
  const { fault } = report;
  lines.push(
    '',
    `fault scenario (gateway, CRM answering 503 to ${fixed(fault.failureRate * 100, 0)}% of requests, ${connections} connections):`,
    `  ${fixed(fault.load.requestsPerSecond, 0)} req/s, p50 ${fixed(fault.load.p50Ms, 2)} ms, p99 ${fixed(fault.load.p99Ms, 2)} ms, SUCCEEDED ${fixed(fault.successRate * 100, 2)}% (the rest PARTIALLY_SUCCEEDED)`,
    `  upstream requests per mutation: Inventory ${fixed(fault.amplification.inventory, 3)}, CRM ${fixed(fault.amplification.crm, 3)} (no retries would be 1.000)`,
  );
  lines.push(
    '',
    ...(report.tracing
      ? formatTracingOverhead(report.tracing)
      : ['tracing overhead: not measured (BENCH_TRACING=0)']),
    '',
    ...(report.auth ? formatAuthOverhead(report.auth) : ['auth overhead: not measured (BENCH_AUTH=0)']),
    '',
    ...(report.delivery
      ? formatDeliveryReport(report.delivery)
      : ['durable delivery: not measured (BENCH_DELIVERY=0)']),
  );
  if (report.problems.length > 0) {
    const banner = '!'.repeat(78);
    lines.push(banner, '!!! BENCH INVALID: some requests failed; the numbers above do not mean anything:');
    lines.push(...report.problems.map((problem) => `!!!   ${problem}`), banner);
  } else {
    lines.push(
      'Every measured run (gateway, its variants, baseline): every response was 2xx with "status":"SUCCEEDED"; no errors or timeouts.',
    );
  }
  return lines.join('\n');
}
