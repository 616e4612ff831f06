// Helpers for config tests: the problems a ConfigError lists, and a config file written to a temp dir.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';

/** The problems loadConfig reports for this environment; fails the test when it reports none. */
export function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** Writes `content` (JSON, or text as is) to a fresh temp file and returns its path. */
export function configFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fanout-config-')), 'config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
