// createJwtVerifier: verified tokens are remembered until they expire, and never past it.
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { createJwtVerifier } from './jwt-verifier.js';

const ISSUER = 'https://idp.test/';
const AUDIENCE = 'fanout-gateway';

async function setUp() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const config = loadConfig({
    AUTH_MODE: 'jwt',
    AUTH_JWT_PUBLIC_KEY: await exportSPKI(publicKey),
    AUTH_JWT_ISSUER: ISSUER,
    AUTH_JWT_AUDIENCE: AUDIENCE,
    AUTH_JWT_CLOCK_TOLERANCE_S: '5',
  });
  let now = Date.parse('2026-11-30T12:00:00Z');
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const sign = (claims: Record<string, unknown>, expiresInS: number) =>
    new SignJWT({ azp: 'shop', scope: 'orders:write', ...claims })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience(claims.aud === undefined ? AUDIENCE : String(claims.aud))
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + expiresInS)
      .sign(privateKey);
  return { verify: createJwtVerifier(config.auth.jwt, clock.now), clock, sign };
}

describe('createJwtVerifier', () => {
  it('accepts a remembered token again while it is valid, with the same identity', async () => {
    const { verify, clock, sign } = await setUp();
    const token = await sign({}, 60);
    const first = await verify(token);
    clock.advance(30_000);
    const again = await verify(token);

    expect(first).toMatchObject({ ok: true, identity: { clientId: 'shop', method: 'jwt' } });
    expect(again).toEqual(first);
  });

  it('refuses a remembered token once its exp and the clock tolerance have passed', async () => {
    const { verify, clock, sign } = await setUp();
    const token = await sign({}, 60);
    expect((await verify(token)).ok).toBe(true);
    clock.advance(60_000 + 5_000 + 1);

    expect(await verify(token)).toMatchObject({
      ok: false,
      failure: { kind: 'invalid', message: 'invalid token: expired' },
    });
  });

  it('remembers no failure: a refused token is checked, and refused, every time', async () => {
    const { verify, sign } = await setUp();
    const token = await sign({ aud: 'someone-else' }, 60);
    for (let i = 0; i < 2; i++) {
      expect(await verify(token)).toMatchObject({ ok: false, failure: { kind: 'invalid' } });
    }
  });
});
