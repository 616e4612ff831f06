// Writes the bench's results as JSON to bench/results/latest.json (git-ignored).

import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { BenchSettings } from './bench-settings.js';
import type { BenchReport } from './report.js';
import { TARGETS } from './report.js';

const RESULTS_DIR = new URL('./results/', import.meta.url);

/** Writes the report with the settings and machine it ran on; resolves with the file's path. */
export async function writeResultsFile(report: BenchReport, settings: BenchSettings): Promise<string> {
  const file = new URL('latest.json', RESULTS_DIR);
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
  const document = { finishedAt: new Date().toISOString(), machine, settings, targets: TARGETS, ...report };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  return file.pathname;
}
