// What is running: the gateway's version from the app root's package.json (read once) and the Node.js version.
import { readFileSync } from 'node:fs';

export interface BuildInfo {
  /** The `version` field of the app's package.json, e.g. `0.1.0`. */
  readonly version: string;
  /** The running Node.js version, e.g. `v20.19.0`. */
  readonly nodeVersion: string;
}

/**
 * The app root's package.json: this file is `src/observability/build-info.ts` under tsx and
 * `dist/observability/build-info.js` once compiled, two levels below the root either way.
 */
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

let cached: BuildInfo | undefined;

/**
 * Reads the version on first use and remembers it: a deploy that swaps package.json under a running
 * process does not change what the process says it is.
 * @throws Error when package.json cannot be read or has no string `version` (a broken deploy, not a runtime state)
 */
export function buildInfo(): BuildInfo {
  cached ??= { version: readPackageVersion(), nodeVersion: process.version };
  return cached;
}

function readPackageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8'));
  const version = (manifest as { version?: unknown } | null)?.version;
  if (typeof version !== 'string' || version === '') {
    throw new Error(`${PACKAGE_JSON.pathname} has no "version": the gateway cannot say which build it is`);
  }
  return version;
}
