// The Docker/Kubernetes secrets convention: a secret variable X may instead be read from the file named by X_FILE.
import { readFileSync } from 'node:fs';
import type { EnvVariable } from './env-variables.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** Secret values read from files, and the problems found. */
export interface SecretFiles {
  /** The value for each secret variable set through its `_FILE` twin, keyed by the variable's name. */
  readonly values: ReadonlyMap<string, string>;
  /** One line per problem; never the content of a file. */
  readonly problems: readonly string[];
}

/** The name of the variable that names the file holding `name`'s value. */
export function fileVariableName(name: string): string {
  return `${name}_FILE`;
}

/**
 * Reads the file of every secret variable whose `_FILE` twin is set. Trailing line breaks are removed
 * (`echo` and most editors add one); anything else in the file is the value. Setting both the variable
 * and its twin is a problem, as is a file that cannot be read.
 */
export function readSecretFiles(env: Environment, variables: readonly EnvVariable[]): SecretFiles {
  const values = new Map<string, string>();
  const problems: string[] = [];
  for (const variable of variables) {
    if (!variable.secret) continue;
    const twin = fileVariableName(variable.name);
    const path = env[twin];
    if (path === undefined || path === '') continue;
    if (env[variable.name] !== undefined && env[variable.name] !== '') {
      problems.push(`${twin}: set together with ${variable.name}; set only one of them`);
      continue;
    }
    try {
      values.set(variable.name, readFileSync(path, 'utf8').replace(/[\r\n]+$/, ''));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${twin}: cannot read ${path} (${code})`);
    }
  }
  return { values, problems };
}
