// `npm run bench`: demo upstreams (20/30 ms) in one child, then the gateway, its authenticated and traced variants, the baseline and durable delivery, one after the other (BENCH_ONLY: one part alone).
import { compareAuthentication } from './auth-overhead.js';
import { measureAuthenticatedGateways } from './auth-scenario.js';
import { readBenchSettings } from './bench-settings.js';
import { benchmarkSystem } from './benchmark-system.js';
import { buildDeliveryReport, type DeliveryReport, formatDeliveryReport } from './delivery-report.js';
import { measureDelivery } from './delivery-scenario.js';
import { type DemoUpstreams, startDemoUpstreams } from './demo-upstreams.js';
import { CRM_FAILURE_RATE, measureFaultScenario } from './fault-scenario.js';
import type { MeasureContext } from './measure-system.js';
import { measureSlowestUpstream } from './measure-upstream.js';
import { buildReport, formatReport } from './report.js';
import { writeResultsFile } from './results-file.js';
import { measureSagaOverhead } from './saga-overhead.js';
import { buildSagaReport, formatSagaReport } from './saga-report.js';
import { stopAllProcesses } from './start-process.js';
import { startBaseline, startGateway } from './start-systems.js';
import { compareTracing } from './tracing-overhead.js';
import { measureTracedGateway } from './tracing-scenario.js';
import { warmUpStack } from './warm-up-stack.js';

const UPSTREAM_LATENCY = { inventoryMs: 20, crmMs: 30 };

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

async function main(): Promise<void> {
  const settings = readBenchSettings();
  log(
    `starting demo upstreams (Inventory ${UPSTREAM_LATENCY.inventoryMs} ms, CRM ${UPSTREAM_LATENCY.crmMs} ms)`,
  );
  const upstreams: DemoUpstreams = await startDemoUpstreams(UPSTREAM_LATENCY);
  const context: MeasureContext = { settings, upstreamCpuMs: upstreams.cpuMs, log };
  if (settings.only === 'saga') return runSagaOnly(upstreams, settings, context);
  log(`measuring the CRM upstream directly for ${settings.unloadedS} s at 1 connection`);
  const directUpstream = await measureSlowestUpstream(upstreams.crmUrl, settings.unloadedS);
  await warmUpStack(upstreams, settings, context);
  if (settings.only === 'delivery') return runDeliveryOnly(upstreams, settings);

  const gateway = await benchmarkSystem(
    () => startGateway(upstreams, settings),
    context,
    (sut) => {
      log(
        `gateway: fault scenario, CRM failing ${CRM_FAILURE_RATE * 100}% with 503, ${settings.durationS} s`,
      );
      return measureFaultScenario(sut, upstreams, settings);
    },
  );
  // Next to the gateway (only its fault phase between): the 5% goal is the tightest comparison.
  const authenticated = settings.auth
    ? await measureAuthenticatedGateways(upstreams, settings, context)
    : undefined;
  const traced = settings.tracing ? await measureTracedGateway(upstreams, settings, context) : undefined;
  const baseline = await benchmarkSystem(() => startBaseline(upstreams), context);
  // Last: its processes write to disk and its outage phase is long; the comparisons above stay as they were.
  const delivery = settings.delivery
    ? buildDeliveryReport(await measureDelivery(upstreams, settings, log))
    : undefined;
  if (!gateway.extra) throw new Error('the fault scenario did not run');
  const report = buildReport({
    gateway,
    baseline,
    maxUpstreamLatencyMs: Math.max(UPSTREAM_LATENCY.inventoryMs, UPSTREAM_LATENCY.crmMs),
    directUpstream,
    fault: gateway.extra,
    tracing: traced ? compareTracing(gateway, traced) : undefined,
    auth: authenticated ? compareAuthentication(gateway, authenticated) : undefined,
    delivery,
  });

  process.stdout.write(`\n${formatReport(report)}\n`);
  log(`results written to ${await writeResultsFile(report, settings)}`);
  if (settings.profileDir) log(`gateway CPU profile written to ${settings.profileDir}`);
  if (report.problems.length > 0) process.exitCode = 1;
}

/** BENCH_ONLY=delivery: the delivery scenarios alone, printed and written to latest-delivery.json. */
async function runDeliveryOnly(
  upstreams: DemoUpstreams,
  settings: ReturnType<typeof readBenchSettings>,
): Promise<void> {
  const delivery: DeliveryReport = buildDeliveryReport(await measureDelivery(upstreams, settings, log));
  const lines = formatDeliveryReport(delivery);
  if (delivery.problems.length > 0)
    lines.push('!!! BENCH INVALID:', ...delivery.problems.map((problem) => `!!!   ${problem}`));
  process.stdout.write(`\n${lines.join('\n')}\n`);
  log(`results written to ${await writeResultsFile({ delivery }, settings, 'latest-delivery.json')}`);
  if (delivery.problems.length > 0) process.exitCode = 1;
}

/** BENCH_ONLY=saga: the stack warm-up, then ALL_OR_NOTHING vs BEST_EFFORT, printed and written to latest-saga.json. */
async function runSagaOnly(
  upstreams: DemoUpstreams,
  settings: ReturnType<typeof readBenchSettings>,
  context: MeasureContext,
): Promise<void> {
  await warmUpStack(upstreams, settings, context);
  const saga = buildSagaReport(await measureSagaOverhead(upstreams, settings, log));
  const lines = formatSagaReport(saga);
  if (saga.problems.length > 0)
    lines.push('!!! BENCH INVALID:', ...saga.problems.map((problem) => `!!!   ${problem}`));
  process.stdout.write(`\n${lines.join('\n')}\n`);
  log(`results written to ${await writeResultsFile({ saga }, settings, 'latest-saga.json')}`);
  if (saga.problems.length > 0) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => stopAllProcesses());
