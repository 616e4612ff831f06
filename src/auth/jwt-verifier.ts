// Verifies a bearer JWT with jose: signature by the JWKS (cached) or a static public key, issuer, audience, algorithms, expiry.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyOptions, type JWTVerifyResult, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { AuthConfig } from '../config/index.js';
import { type AuthenticationResult, invalidCredentials } from './authentication-result.js';
import type { CallerIdentity } from './caller-identity.js';
import { classifyJwtFailure } from './classify-jwt-failure.js';
import { clientClaimsInOrder, identityFromJwtClaims } from './identity-from-jwt-claims.js';

export type JwtVerifier = (token: string) => Promise<AuthenticationResult>;

/** Tokens whose verification is remembered; a client sends the same token for its whole lifetime. */
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Builds the verifier from validated settings (loadConfig guarantees a key source, issuer and audience
 * when JWT authentication is on). Tokens must carry `exp`; `clockToleranceSeconds` covers clock skew.
 * A JWKS is fetched on first use, cached (jose: 10 min), and refetched at most once per
 * `jwksCooldownMs` for a `kid` it does not hold, each fetch bounded by `jwksTimeoutMs`.
 *
 * A verified token is remembered (by its SHA-256, never the token itself) until it expires: checking an
 * ES256 signature costs about 0.3 ms of CPU, a fifth of a whole mutation, and a client sends the same
 * token on every request. Only exact, already verified tokens are served from memory, never past their
 * `exp` (plus the clock tolerance); failures are not remembered.
 * @param now the clock, for tests; jose checks `exp` and `nbf` against it too
 */
export function createJwtVerifier(jwt: AuthConfig['jwt'], now: () => number = Date.now): JwtVerifier {
  const { issuer, audience } = jwt;
  if (!issuer || !audience) throw new Error('JWT authentication needs an issuer and an audience');
  const options: JWTVerifyOptions = {
    issuer,
    audience,
    algorithms: jwt.algorithms,
    clockTolerance: jwt.clockToleranceSeconds,
    requiredClaims: ['exp'],
  };
  const verify = signatureCheck(jwt);
  const clientClaims = clientClaimsInOrder(jwt.clientClaim).join(', ');
  const toleranceMs = jwt.clockToleranceSeconds * 1000;
  const verified = new LRUCache<string, { readonly identity: CallerIdentity; readonly validUntil: number }>({
    max: VERIFIED_TOKENS_KEPT,
  });
  return async (token) => {
    const key = createHash('sha256').update(token).digest('base64url');
    const remembered = verified.get(key);
    if (remembered && now() < remembered.validUntil) return { ok: true, identity: remembered.identity };
    let claims: JWTVerifyResult['payload'];
    try {
      claims = (await verify(token, { ...options, currentDate: new Date(now()) })).payload;
    } catch (error) {
      return { ok: false, failure: classifyJwtFailure(error) };
    }
    const identity = identityFromJwtClaims(claims, jwt.clientClaim);
    if (identity) {
      // `exp` is required, so it is there; jose accepts the token until exp + tolerance.
      verified.set(key, { identity, validUntil: (claims.exp ?? 0) * 1000 + toleranceMs });
      return { ok: true, identity };
    }
    return invalidCredentials(`JWT names no client (${clientClaims})`, {
      message: `invalid token: no client claim (${clientClaims})`,
      bearerError: 'invalid_token',
    });
  };
}

/** Private: the remote key set when a JWKS URL is set, else the static PEM key (inline or from its file). */
function signatureCheck(
  jwt: AuthConfig['jwt'],
): (token: string, options: JWTVerifyOptions) => Promise<JWTVerifyResult> {
  if (jwt.jwksUrl) {
    const keySet = createRemoteJWKSet(new URL(jwt.jwksUrl), {
      cooldownDuration: jwt.jwksCooldownMs,
      timeoutDuration: jwt.jwksTimeoutMs,
    });
    return (token, options) => jwtVerify(token, keySet, options);
  }
  const pem = jwt.publicKey ?? jwt.publicKeyFile?.pem;
  if (!pem) throw new Error('JWT authentication needs a JWKS URL or a public key');
  const key: KeyObject = createPublicKey(pem);
  return (token, options) => jwtVerify(token, key, options);
}
