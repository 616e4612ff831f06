// The gateway's pino logger (Fastify logs through it): JSON lines, or pretty in development; secrets redacted.
import { createRequire } from 'node:module';
import { type DestinationStream, type Logger, type LoggerOptions as PinoOptions, pino } from 'pino';
import { isSecretName, REDACTED, redactSecrets, redactTopLevel } from './redact-secrets.js';

export interface LoggerOptions {
  /** pino level, or `silent`. @default info */
  readonly level: string;
  /** `json`, `pretty`, or `auto` (pretty when `development` and pino-pretty is installed). @default auto */
  readonly format?: 'auto' | 'json' | 'pretty';
  readonly development?: boolean;
}

/**
 * Redaction at any depth, in two pino hooks. `formatters.log` replaces secret-named top-level properties of
 * each line; the `*` redact path hands every top-level value (of lines and of child bindings), after
 * serializers (so `err` as printed), to a censor that searches it, arrays and nested objects included, and
 * returns a redacted copy. Objects logged with `%o`/`%j` go through the same censor.
 */
const REDACTION: Pick<PinoOptions, 'formatters' | 'redact'> = {
  formatters: { log: redactTopLevel },
  redact: {
    paths: ['*'],
    censor: (value: unknown, path: readonly unknown[]) =>
      isSecretName(path[path.length - 1]) ? REDACTED : redactSecrets(value),
  },
};

/**
 * Creates the gateway's logger: JSON lines (or pino-pretty), with secret-named properties redacted
 * wherever they appear in a logged object (see `redact-secrets.ts` for the names and bounds).
 * @param destination where lines go instead of stdout (tests, benchmarks); pretty output is then off
 */
export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  const pretty =
    destination === undefined &&
    (options.format === 'pretty' ||
      (options.format !== 'json' && options.development === true && prettyInstalled()));
  const settings: PinoOptions = {
    level: options.level,
    ...REDACTION,
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
  return redactChildBindings(destination ? pino(settings, destination) : pino(settings));
}

/**
 * Private: pino applies no formatter to a child's bindings, so `child` (inherited by every descendant,
 * Fastify's per-request loggers included) and `setBindings` get the top-level pass here.
 */
function redactChildBindings(logger: Logger): Logger {
  const createChild = logger.child;
  const replaceBindings = logger.setBindings;
  logger.child = function child(this: Logger, bindings, options) {
    return createChild.call(this, redactTopLevel(bindings), options);
  } as Logger['child'];
  logger.setBindings = function setBindings(this: Logger, bindings) {
    replaceBindings.call(this, redactTopLevel(bindings));
  };
  return logger;
}

/** Private: pino-pretty is a dev dependency; production installs (npm ci --omit=dev) go without it. */
function prettyInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export type { Logger };

/** The logging calls application code makes; both the root logger and Fastify's per-request loggers fit. */
export type LogSink = Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>;
