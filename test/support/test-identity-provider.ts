// A real identity provider for tests: a JWKS endpoint on 127.0.0.1 and tokens signed with its keys (jose).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export const TEST_ISSUER = 'https://idp.test/';
export const TEST_AUDIENCE = 'fanout-gateway';
/** The `kid` of the key the JWKS publishes. */
export const TEST_KID = 'test-key-1';

export interface SignOptions {
  /** @default TEST_KID */
  readonly kid?: string;
  /** Signs with a key the JWKS does not publish (under `kid`), e.g. to forge a signature. @default false */
  readonly foreignKey?: boolean;
}

export interface TestIdentityProvider {
  readonly jwksUrl: string;
  /**
   * A token with `iss`, `aud`, `iat` and `exp` (in 5 minutes) set for the gateway, plus `claims`
   * (which may override any of them), signed RS256.
   */
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  /** The published key as PEM (SPKI), for AUTH_JWT_PUBLIC_KEY. */
  publicKeyPem(): Promise<string>;
  /** How many times the JWKS was fetched. */
  requestCount(): number;
  close(): Promise<void>;
}

export async function startTestIdentityProvider(): Promise<TestIdentityProvider> {
  const published = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(published.publicKey)), kid: TEST_KID, alg: 'RS256', use: 'sig' };
  let requests = 0;
  const server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    async sign(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const key: CryptoKey = options.foreignKey ? foreign.privateKey : published.privateKey;
      return new SignJWT({ iss: TEST_ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? TEST_KID, typ: 'JWT' })
        .sign(key);
    },
    publicKeyPem: () => exportSPKI(published.publicKey),
    requestCount: () => requests,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
