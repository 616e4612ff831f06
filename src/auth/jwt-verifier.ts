// Verifies a bearer JWT with jose: signature by the JWKS (cached) or a static public key, issuer, audience, algorithms, expiry.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyOptions, type JWTVerifyResult, jwtVerify } from 'jose';
import type { AuthConfig } from '../config/index.js';
import { type AuthenticationResult, invalidCredentials } from './authentication-result.js';
import { classifyJwtFailure } from './classify-jwt-failure.js';
import { clientClaimsInOrder, identityFromJwtClaims } from './identity-from-jwt-claims.js';

export type JwtVerifier = (token: string) => Promise<AuthenticationResult>;

/**
 * Builds the verifier from validated settings (loadConfig guarantees a key source, issuer and audience
 * when JWT authentication is on). Tokens must carry `exp`; `clockToleranceSeconds` covers clock skew.
 * A JWKS is fetched on first use, cached (jose: 10 min), and refetched at most once per
 * `jwksCooldownMs` for a `kid` it does not hold, each fetch bounded by `jwksTimeoutMs`.
 */
export function createJwtVerifier(jwt: AuthConfig['jwt']): JwtVerifier {
  const { issuer, audience } = jwt;
  if (!issuer || !audience) throw new Error('JWT authentication needs an issuer and an audience');
  const options: JWTVerifyOptions = {
    issuer,
    audience,
    algorithms: jwt.algorithms,
    clockTolerance: jwt.clockToleranceSeconds,
    requiredClaims: ['exp'],
  };
  const verify = signatureCheck(jwt, options);
  const clientClaims = clientClaimsInOrder(jwt.clientClaim).join(', ');
  return async (token) => {
    let claims: JWTVerifyResult['payload'];
    try {
      claims = (await verify(token)).payload;
    } catch (error) {
      return { ok: false, failure: classifyJwtFailure(error) };
    }
    const identity = identityFromJwtClaims(claims, jwt.clientClaim);
    if (identity) return { ok: true, identity };
    return invalidCredentials(`JWT names no client (${clientClaims})`, {
      message: `invalid token: no client claim (${clientClaims})`,
      bearerError: 'invalid_token',
    });
  };
}

/** Private: the remote key set when a JWKS URL is set, else the static PEM key (inline or from its file). */
function signatureCheck(
  jwt: AuthConfig['jwt'],
  options: JWTVerifyOptions,
): (token: string) => Promise<JWTVerifyResult> {
  if (jwt.jwksUrl) {
    const keySet = createRemoteJWKSet(new URL(jwt.jwksUrl), {
      cooldownDuration: jwt.jwksCooldownMs,
      timeoutDuration: jwt.jwksTimeoutMs,
    });
    return (token) => jwtVerify(token, keySet, options);
  }
  const pem = jwt.publicKey ?? jwt.publicKeyFile?.pem;
  if (!pem) throw new Error('JWT authentication needs a JWKS URL or a public key');
  const key: KeyObject = createPublicKey(pem);
  return (token) => jwtVerify(token, key, options);
}
