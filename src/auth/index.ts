// Public surface of the auth module: who the caller is (API keys, JWT), what it may do (scopes).
export type { AuthenticationFailure, AuthenticationResult } from './authentication-result.js';
export type { AuthenticationMethod, CallerIdentity } from './caller-identity.js';
export {
  type CallerAuthenticator,
  CLIENT_NAME_HEADER,
  createCallerAuthenticator,
} from './create-caller-authenticator.js';
export { ALL_GATEWAY_SCOPES, GatewayScope, isGatewayScope } from './gateway-scopes.js';
export { hashApiKey } from './hash-api-key.js';
export { logAuthenticationMode } from './log-authentication-mode.js';
export {
  bearerChallenge,
  type CallerAuthenticationOptions,
  registerCallerAuthentication,
} from './register-caller-authentication.js';
