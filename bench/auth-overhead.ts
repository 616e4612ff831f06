// What authentication costs: the API key and JWT gateways against the unauthenticated one from the same bench run.
import { availableParallelism } from 'node:os';
import type { AuthenticatedRun, AuthenticatedRuns } from './auth-scenario.js';
import {
  compareToGateway,
  fixed,
  formatGatewayOverhead,
  formatVariantFigures,
  type GatewayOverhead,
} from './gateway-overhead.js';
import type { SystemMeasurement } from './measure-system.js';

/** Issue 8's goal: authenticated req/s at least this fraction of the unauthenticated gateway's (under 5% lost). */
export const AUTH_MIN_THROUGHPUT_RATIO = 0.95;

/** One method's cost. Ratios are authenticated / unauthenticated, so 1.00x means it costs nothing measurable. */
export interface AuthMethodOverhead extends GatewayOverhead {
  readonly authenticated: SystemMeasurement;
  /** What the authenticated gateway answered a request without a credential (401 when it was on). */
  readonly statusWithoutCredential: number;
  /** Whether req/s met AUTH_MIN_THROUGHPUT_RATIO in this run; informational, one run is noisy. */
  readonly meetsThroughputGoal: boolean;
}

export interface AuthOverhead {
  /** AUTH_MIN_THROUGHPUT_RATIO, kept with the results it judged. */
  readonly minThroughputRatio: number;
  readonly apiKey: AuthMethodOverhead;
  readonly jwt: AuthMethodOverhead;
  /** JWKS requests the JWT gateway made during its whole run. */
  readonly jwksRequests: number;
}

function compareMethod(unauthenticated: SystemMeasurement, run: AuthenticatedRun): AuthMethodOverhead {
  const overhead = compareToGateway(unauthenticated, run.authenticated);
  return {
    ...run,
    ...overhead,
    meetsThroughputGoal: overhead.ratios.requestsPerSecond >= AUTH_MIN_THROUGHPUT_RATIO,
  };
}

/** Compares both authenticated runs with the unauthenticated gateway measurement. */
export function compareAuthentication(
  unauthenticated: SystemMeasurement,
  runs: AuthenticatedRuns,
): AuthOverhead {
  return {
    minThroughputRatio: AUTH_MIN_THROUGHPUT_RATIO,
    apiKey: compareMethod(unauthenticated, runs.apiKey),
    jwt: compareMethod(unauthenticated, runs.jwt),
    jwksRequests: runs.jwksRequests,
  };
}

/** Problems that make the overhead numbers meaningless: a gateway that lets anonymous callers in did not authenticate. */
export function authenticationProblems(overhead: AuthOverhead): string[] {
  return [overhead.apiKey, overhead.jwt]
    .filter((method) => method.statusWithoutCredential !== 401)
    .map(
      ({ authenticated, statusWithoutCredential }) =>
        `${authenticated.name}: a request without a credential was answered ${statusWithoutCredential}, not 401: authentication was not on, so its overhead was not measured`,
    );
}

const LABEL = 'authed/unauthenticated';
const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function formatMethod(method: AuthMethodOverhead, how: string): string[] {
  return [
    `  ${method.authenticated.name} (${how}): ${formatVariantFigures(method.authenticated)}`,
    ...formatGatewayOverhead(method, { label: LABEL, indent: '    ' }),
  ];
}

/** The report block: each method's figures and ratios, the goal's verdict, and how far to trust it. */
export function formatAuthOverhead(overhead: AuthOverhead): string[] {
  const { apiKey, jwt, minThroughputRatio } = overhead;
  const verdict = (name: string, method: AuthMethodOverhead) =>
    `${name} ${pass(method.meetsThroughputGoal)} (${fixed(method.ratios.requestsPerSecond, 2)}x)`;
  const fetches = `${overhead.jwksRequests} JWKS fetch${overhead.jwksRequests === 1 ? '' : 'es'}`;
  return [
    'auth overhead (each authenticated gateway vs gateway, AUTH_MODE=none; one client, per-client write limit off in all three):',
    ...formatMethod(apiKey, 'X-API-Key, SHA-256 + constant-time compare'),
    ...formatMethod(jwt, `Authorization: Bearer ES256 JWT, ${fetches} from the bench process`),
    `  goal: authed/unauthenticated req/s >= ${minThroughputRatio}x (under ${fixed((1 - minThroughputRatio) * 100, 0)}% lost): ${verdict('api-key', apiKey)}, ${verdict('jwt', jwt)}`,
    `  informational: one run on a ${availableParallelism()}-core machine shared with the upstreams and the load generator is noisy (two identical gateways differ by several %); repeat the bench, or lengthen BENCH_DURATION_S, before acting on a PASS or FAIL`,
    `  context, CPU ms/req: load generator ${fixed(apiKey.authenticated.loadGeneratorCpuMsPerRequest, 3)} (api-key) / ${fixed(jwt.authenticated.loadGeneratorCpuMsPerRequest, 3)} (jwt), upstreams ${fixed(apiKey.authenticated.upstreamCpuMsPerRequest, 3)} / ${fixed(jwt.authenticated.upstreamCpuMsPerRequest, 3)}`,
  ];
}
