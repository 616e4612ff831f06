// The start-up error for bad configuration: every problem, each naming the variable and what it expects.

/** Thrown by loadConfig; `problems` holds one line per bad field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}
