// A stand-in identity provider for the JWT variant: one ES256 key, its JWKS served on loopback, tokens it signs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** A running issuer on 127.0.0.1. */
export interface JwtIssuer {
  /** For AUTH_JWKS_URL; plain HTTP is allowed in production on loopback. */
  readonly jwksUrl: string;
  /** For AUTH_JWT_ISSUER: the `iss` of every token signed here. */
  readonly issuer: string;
  /** For AUTH_JWT_AUDIENCE: the `aud` of every token signed here. */
  readonly audience: string;
  /** JWKS requests answered so far: a gateway caches the key set, so one per gateway is expected. */
  jwksRequests(): number;
  /** Signs an ES256 token naming `clientId` (`azp`) with `scope`, valid for `lifetimeS` seconds (default 1 h). */
  signToken(claims: {
    readonly clientId: string;
    readonly scope: string;
    readonly lifetimeS?: number;
  }): Promise<string>;
  close(): Promise<void>;
}

const ALGORITHM = 'ES256';
const KEY_ID = 'fanout-bench-es256';
const JWKS_PATH = '/jwks.json';
const ISSUER = 'https://idp.bench.invalid/';
const AUDIENCE = 'fanout-gateway-bench';

/** Generates a key pair and serves its public half as a JWKS on an OS-chosen port; resolves once it listens. */
export async function startJwtIssuer(): Promise<JwtIssuer> {
  const { publicKey, privateKey } = await generateKeyPair(ALGORITHM);
  const jwk = { ...(await exportJWK(publicKey)), kid: KEY_ID, alg: ALGORITHM, use: 'sig' };
  const jwks = JSON.stringify({ keys: [jwk] });
  let served = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const found = request.method === 'GET' && request.url === JWKS_PATH;
    if (found) served++;
    const body = found ? jwks : '{}';
    response.writeHead(found ? 200 : 404, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}${JWKS_PATH}`,
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksRequests: () => served,
    signToken: ({ clientId, scope, lifetimeS = 3600 }) =>
      new SignJWT({ azp: clientId, scope })
        .setProtectedHeader({ alg: ALGORITHM, kid: KEY_ID, typ: 'JWT' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${lifetimeS}s`)
        .sign(privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
