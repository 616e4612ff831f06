// The gateway's pino logger (Fastify logs through it): JSON lines, or pretty in development; secrets redacted.
import { createRequire } from 'node:module';
import { type Logger, pino } from 'pino';

/** Paths whose values never reach a log line: credentials, idempotency keys, cookies, wherever they appear. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["idempotency-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["idempotency-key"]',
  '*.token',
  '*.apiKey',
  '*.authorization',
  '*["x-api-key"]',
  '*.idempotencyKey',
  '*["idempotency-key"]',
];

export interface LoggerOptions {
  /** pino level, or `silent`. @default info */
  readonly level: string;
  /** `json`, `pretty`, or `auto` (pretty when `development` and pino-pretty is installed). @default auto */
  readonly format?: 'auto' | 'json' | 'pretty';
  readonly development?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const pretty =
    options.format === 'pretty' ||
    (options.format !== 'json' && options.development === true && prettyInstalled());
  return pino({
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  });
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
