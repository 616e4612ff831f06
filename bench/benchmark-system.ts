// Starts one system, measures it (plus an optional extra phase), and always stops it again.
import {
  type MeasureContext,
  measureSystem,
  type SystemMeasurement,
  type SystemUnderTest,
} from './measure-system.js';
import type { StartedSystem } from './start-systems.js';

/**
 * Each system gets the machine to itself, and is stopped even when its measurement fails. `extra` runs
 * after the standard phases, against the same process; its result comes back as `extra`.
 */
export async function benchmarkSystem<Extra = undefined>(
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
