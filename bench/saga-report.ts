// The saga bench's report: ALL_OR_NOTHING/BEST_EFFORT ratios, the rollback's correctness, printed lines. No goals.
import type { LoadResult } from './load.js';
import type { SagaMeasurement, SagaRun } from './saga-overhead.js';

export interface SagaReport extends SagaMeasurement {
  /** ALL_OR_NOTHING / BEST_EFFORT, every target succeeding, same gateway and load. */
  readonly ratios: {
    readonly requestsPerSecond: number;
    readonly p50: number;
    readonly p99: number;
    readonly cpuMsPerRequest: number;
    readonly unloadedP99: number;
  };
  /** Failed or unexpected answers, a stock not restored, a restore not delivered: the numbers mean nothing then. */
  readonly problems: readonly string[];
}

export function buildSagaReport(measurement: SagaMeasurement): SagaReport {
  const { bestEffort, allOrNothing, unloaded, rollback, stock } = measurement;
  const ratios = {
    requestsPerSecond: allOrNothing.load.requestsPerSecond / bestEffort.load.requestsPerSecond,
    p50: allOrNothing.load.p50Ms / bestEffort.load.p50Ms,
    p99: allOrNothing.load.p99Ms / bestEffort.load.p99Ms,
    cpuMsPerRequest: allOrNothing.cpuMsPerRequest / bestEffort.cpuMsPerRequest,
    unloadedP99: unloaded.allOrNothing.p99Ms / unloaded.bestEffort.p99Ms,
  };
  const problems = [
    ...loadProblems('saga BEST_EFFORT', bestEffort.load),
    ...loadProblems('saga ALL_OR_NOTHING', allOrNothing.load),
    ...loadProblems('saga BEST_EFFORT unloaded', unloaded.bestEffort),
    ...loadProblems('saga ALL_OR_NOTHING unloaded', unloaded.allOrNothing),
    ...loadProblems('saga rollback', rollback.load),
  ];
  if (stock.after !== stock.before)
    problems.push(
      `saga rollback: ${stock.sku} stock is ${stock.after}, not back at ${stock.before} ${Math.round(stock.settledAfterMs)} ms after the run`,
    );
  if (measurement.inventoryNotDelivered > 0)
    problems.push(
      `saga: ${measurement.inventoryNotDelivered} inventory deliveries (writes or restores) QUEUED, IN_FLIGHT or DEAD at the end`,
    );
  return { ...measurement, ratios, problems };
}

/** Private: what went wrong in one run; a 2xx body without the expected status (SUCCEEDED or ROLLED_BACK) included. */
function loadProblems(name: string, load: LoadResult): string[] {
  const counts: [string, number][] = [
    ['connection errors', load.errors],
    ['timeouts', load.timeouts],
    [`non-2xx answers ${JSON.stringify(load.non2xxByStatus)}`, load.non2xx],
    ['answers without the expected status', load.mismatches],
  ];
  const found = counts.filter(([, count]) => count > 0).map(([label, count]) => `${name}: ${count} ${label}`);
  if (load.errorKinds.length > 0) found.push(`${name} errors were: ${load.errorKinds.join(' | ')}`);
  return load.responses === 0 ? [...found, `${name}: no responses at all`] : found;
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** The printed section. */
export function formatSagaReport(report: SagaReport): string[] {
  const { bestEffort, allOrNothing, unloaded, rollback, stock, ratios } = report;
  const row = (name: string, run: SagaRun) =>
    `  ${name.padEnd(28)} ${fixed(run.load.requestsPerSecond, 0).padStart(6)} req/s  p50 ${fixed(run.load.p50Ms, 2).padStart(6)} ms  p99 ${fixed(run.load.p99Ms, 2).padStart(6)} ms  CPU ${fixed(run.cpuMsPerRequest, 3)} ms/req`;
  const oneConnection = (name: string, load: typeof unloaded.bestEffort) =>
    `  ${name.padEnd(28)} p50 ${fixed(load.p50Ms, 2)} ms  p99 ${fixed(load.p99Ms, 2)} ms`;
  return [
    `saga overhead — SYNC placeOrder, one gateway (worker on, SQLite queue), closed loop at ${bestEffort.load.connections} connections, ${fixed(bestEffort.load.durationS)} s each:`,
    row('BEST_EFFORT, all succeed', bestEffort),
    row('ALL_OR_NOTHING, all succeed', allOrNothing),
    `  ALL_OR_NOTHING/BEST_EFFORT: req/s ${fixed(ratios.requestsPerSecond, 2)}x, p50 ${fixed(ratios.p50, 2)}x, p99 ${fixed(ratios.p99, 2)}x, CPU/req ${fixed(ratios.cpuMsPerRequest, 2)}x`,
    '  1 connection:',
    oneConnection('BEST_EFFORT', unloaded.bestEffort),
    oneConnection('ALL_OR_NOTHING', unloaded.allOrNothing),
    `  ALL_OR_NOTHING/BEST_EFFORT p99 at 1 connection: ${fixed(ratios.unloadedP99, 2)}x`,
    '',
    `saga rollback — ALL_OR_NOTHING, CRM rejects every order (unknown customer), one restore each, ${rollback.load.connections} connections:`,
    row('ALL_OR_NOTHING, ROLLED_BACK', rollback),
    `  ${rollback.load.responses} answers, ${rollback.load.mismatches + rollback.load.non2xx} not ROLLED_BACK; ${stock.sku} stock ${stock.before} before, ${stock.after} after (${Math.round(stock.settledAfterMs)} ms after the run); ${report.inventoryNotDelivered} inventory deliveries not DELIVERED`,
  ];
}
