// Writes the bench's results as JSON to bench/results/latest.json (latest-delivery.json, latest-saga.json for BENCH_ONLY; git-ignored).

import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { BenchSettings } from './bench-settings.js';
import { DELIVERY_GOALS } from './delivery-report.js';
import { TARGETS } from './report.js';

const RESULTS_DIR = new URL('./results/', import.meta.url);

/**
 * Writes the report with the settings, goals and machine it ran on; resolves with the file's path.
 * @param fileName @default latest.json
 */
export async function writeResultsFile(
  report: object,
  settings: BenchSettings,
  fileName = 'latest.json',
): Promise<string> {
  const file = new URL(fileName, RESULTS_DIR);
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
  const targets = { ...TARGETS, delivery: DELIVERY_GOALS };
  const document = { finishedAt: new Date().toISOString(), machine, settings, targets, ...report };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  return file.pathname;
}
