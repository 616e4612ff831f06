// Public surface of the config module.
export { ConfigError } from './config-error.js';
export type { Config, TargetConfig } from './config-schema.js';
export { envVariables } from './env-variables.js';
export { loadConfig } from './load-config.js';
export { redactUrlCredentials } from './redact-url-credentials.js';
