// `npm run bench`: demo upstreams (20/30 ms) in one child, then the gateway and the baseline, one after the other.
import { readBenchSettings } from './bench-settings.js';
import { type DemoUpstreams, startDemoUpstreams } from './demo-upstreams.js';
import { CRM_FAILURE_RATE, measureFaultScenario } from './fault-scenario.js';
import {
  type MeasureContext,
  measureSystem,
  type SystemMeasurement,
  type SystemUnderTest,
} from './measure-system.js';
import { measureSlowestUpstream } from './measure-upstream.js';
import { buildReport, formatReport } from './report.js';
import { writeResultsFile } from './results-file.js';
import { stopAllProcesses } from './start-process.js';
import { type StartedSystem, startBaseline, startGateway } from './start-systems.js';

const UPSTREAM_LATENCY = { inventoryMs: 20, crmMs: 30 };

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

// Private: each system gets the machine to itself, and is stopped even when its measurement fails.
async function benchmark<Extra = undefined>(
  start: () => Promise<StartedSystem>,
  context: MeasureContext,
  extra?: (sut: SystemUnderTest) => Promise<Extra>,
): Promise<SystemMeasurement & { extra?: Extra }> {
  const { sut, process: child } = await start();
  try {
    const measurement = { ...(await measureSystem(sut, context)), extra: await extra?.(sut) };
    // A system that crashed mid-run leaves only connection errors behind: name the crash instead.
    if (child.child.exitCode !== null || child.child.signalCode !== null) {
      const how = child.child.signalCode ?? `code ${child.child.exitCode}`;
      throw new Error(
        `${sut.name} (pid ${sut.pid}) exited during the benchmark (${how}); see its output above`,
      );
    }
    return measurement;
  } finally {
    await child.stop();
  }
}

async function main(): Promise<void> {
  const settings = readBenchSettings();
  log(
    `starting demo upstreams (Inventory ${UPSTREAM_LATENCY.inventoryMs} ms, CRM ${UPSTREAM_LATENCY.crmMs} ms)`,
  );
  const upstreams: DemoUpstreams = await startDemoUpstreams(UPSTREAM_LATENCY);
  const context: MeasureContext = { settings, upstreamCpuMs: upstreams.cpuMs, log };
  log(`measuring the CRM upstream directly for ${settings.unloadedS} s at 1 connection`);
  const directUpstream = await measureSlowestUpstream(upstreams.crmUrl, settings.unloadedS);

  const gateway = await benchmark(
    () => startGateway(upstreams, settings),
    context,
    (sut) => {
      log(
        `gateway: fault scenario, CRM failing ${CRM_FAILURE_RATE * 100}% with 503, ${settings.durationS} s`,
      );
      return measureFaultScenario(sut, upstreams, settings);
    },
  );
  const baseline = await benchmark(() => startBaseline(upstreams), context);
  const maxUpstreamLatencyMs = Math.max(UPSTREAM_LATENCY.inventoryMs, UPSTREAM_LATENCY.crmMs);
  if (!gateway.extra) throw new Error('the fault scenario did not run');
  const report = buildReport(gateway, baseline, maxUpstreamLatencyMs, directUpstream, gateway.extra);

  process.stdout.write(`\n${formatReport(report)}\n`);
  log(`results written to ${await writeResultsFile(report, settings)}`);
  if (settings.profileDir) log(`gateway CPU profile written to ${settings.profileDir}`);
  if (report.problems.length > 0) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => stopAllProcesses());
