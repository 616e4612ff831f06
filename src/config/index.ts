// Public surface of the config module.
export type { ApiKeyConfig, AuthMethod, JwtAlgorithm } from './auth-config-fields.js';
export { type AuthConfig, authMethodsOf, authModeName } from './auth-methods.js';
export { ConfigError } from './config-error.js';
export type { Config } from './config-schema.js';
export { envVariables } from './env-variables.js';
export { loadConfig } from './load-config.js';
export { redactUrlCredentials } from './redact-url-credentials.js';
export type { TargetConfig } from './target-config-schema.js';
export {
  listTargetSections,
  type TargetCredential,
  type TargetSection,
  type TargetSectionId,
  targetSections,
} from './target-sections.js';
export { documentHash, TrustedDocuments } from './trusted-documents-file.js';
