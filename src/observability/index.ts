// Public surface of the observability module.
export { createLogger, type Logger, type LoggerOptions } from './create-logger.js';
