// Public surface of the observability module.
export { createLogger, type Logger, type LoggerOptions, type LogSink } from './create-logger.js';
