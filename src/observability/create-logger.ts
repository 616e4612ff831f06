// The gateway's pino logger (Fastify logs through it): JSON lines, secrets redacted wherever they appear.
import { type Logger, pino } from 'pino';

/** Header and field names whose values never reach a log line. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["idempotency-key"]',
  'req.headers.cookie',
  '*.token',
  '*.apiKey',
  '*.authorization',
  '*["x-api-key"]',
];

export interface LoggerOptions {
  /** pino level, or `silent`. @default info */
  readonly level: string;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino({ level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

export type { Logger };

/** The logging calls application code makes; both the root logger and Fastify's per-request loggers fit. */
export type LogSink = Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>;
