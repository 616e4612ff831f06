// The authentication scenario: the gateway with API keys, then with JWTs (signed and served from this process).
import { randomBytes } from 'node:crypto';
import { GatewayScope, hashApiKey } from '../src/auth/index.js';
import type { BenchSettings } from './bench-settings.js';
import { benchmarkSystem } from './benchmark-system.js';
import type { DemoUpstreams } from './demo-upstreams.js';
import { type JwtIssuer, startJwtIssuer } from './jwt-issuer.js';
import type { MeasureContext, SystemMeasurement, SystemUnderTest } from './measure-system.js';
import { BENCH_REQUEST_BODY } from './scenario.js';
import { type GatewayVariant, startGateway } from './start-systems.js';

/** The authenticated gateways' names in the report. */
export const API_KEY_GATEWAY_NAME = 'gateway+api-key';
export const JWT_GATEWAY_NAME = 'gateway+jwt';

/** The one client the load authenticates as; it holds only the scope placeOrder needs. */
const BENCH_CLIENT_ID = 'bench-load';

/** One authenticated gateway's measurement, and the proof that it did authenticate. */
export interface AuthenticatedRun {
  readonly authenticated: SystemMeasurement;
  /** What the same process answered a request without a credential: 401 shows authentication was on. */
  readonly statusWithoutCredential: number;
}

export interface AuthenticatedRuns {
  readonly apiKey: AuthenticatedRun;
  readonly jwt: AuthenticatedRun;
  /** JWKS requests the JWT gateway made: 1 when its cached key set lasted the whole run. */
  readonly jwksRequests: number;
}

/** AUTH_MODE=api-keys with one configured key (its SHA-256), sent as X-API-Key on every request. */
function apiKeyVariant(): GatewayVariant {
  const key = randomBytes(32).toString('base64url');
  const entry = `${BENCH_CLIENT_ID}:${hashApiKey(key)}:${GatewayScope.ORDERS_WRITE}`;
  return {
    name: API_KEY_GATEWAY_NAME,
    env: { AUTH_MODE: 'api-keys', AUTH_API_KEYS: entry },
    requestHeaders: { 'x-api-key': key },
  };
}

/** AUTH_MODE=jwt against the issuer's JWKS (default algorithms), one token sent as a bearer on every request. */
async function jwtVariant(issuer: JwtIssuer): Promise<GatewayVariant> {
  const token = await issuer.signToken({ clientId: BENCH_CLIENT_ID, scope: GatewayScope.ORDERS_WRITE });
  return {
    name: JWT_GATEWAY_NAME,
    env: {
      AUTH_MODE: 'jwt',
      AUTH_JWKS_URL: issuer.jwksUrl,
      AUTH_JWT_ISSUER: issuer.issuer,
      AUTH_JWT_AUDIENCE: issuer.audience,
    },
    requestHeaders: { authorization: `Bearer ${token}` },
  };
}

/** Private: the status of one mutation sent without the variant's credential (its body is not read further). */
async function statusWithoutCredential(sut: SystemUnderTest): Promise<number> {
  const response = await fetch(sut.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BENCH_REQUEST_BODY,
  });
  await response.arrayBuffer();
  return response.status;
}

/** Private: benchmarks one variant, then checks on the same process that it refuses an anonymous caller. */
async function measureAuthenticated(
  start: () => Promise<GatewayVariant>,
  upstreams: DemoUpstreams,
  settings: BenchSettings,
  context: MeasureContext,
): Promise<AuthenticatedRun> {
  const { extra: status, ...authenticated } = await benchmarkSystem(
    async () => startGateway(upstreams, settings, await start()),
    context,
    statusWithoutCredential,
  );
  if (status === undefined) throw new Error(`${authenticated.name}: the anonymous request was not sent`);
  return { authenticated, statusWithoutCredential: status };
}

/** Measures the API key gateway, then the JWT gateway with a fresh issuer, one after the other. */
export async function measureAuthenticatedGateways(
  upstreams: DemoUpstreams,
  settings: BenchSettings,
  context: MeasureContext,
): Promise<AuthenticatedRuns> {
  const apiKey = await measureAuthenticated(async () => apiKeyVariant(), upstreams, settings, context);
  const issuer = await startJwtIssuer();
  try {
    const jwt = await measureAuthenticated(() => jwtVariant(issuer), upstreams, settings, context);
    return { apiKey, jwt, jwksRequests: issuer.jwksRequests() };
  } finally {
    await issuer.close();
  }
}
