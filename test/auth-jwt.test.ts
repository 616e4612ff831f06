// JWT authentication over real HTTP against a real JWKS server: claims to identity, and every way a token is refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/auth/index.js';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { sendGraphQL } from './support/send-graphql.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import {
  startTestIdentityProvider,
  TEST_AUDIENCE,
  TEST_ISSUER,
  type TestIdentityProvider,
} from './support/test-identity-provider.js';

const TARGETS = '{ targets { target } }';
const WRITER = { azp: 'shop', scope: 'orders:write targets:read' };

let running: TestGateway | undefined;
let idp: TestIdentityProvider | undefined;
const tempDirs: string[] = [];
afterEach(async () => {
  await running?.close();
  await idp?.close();
  running = undefined;
  idp = undefined;
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startWithJwt(
  env: Record<string, string> = {},
): Promise<{ gateway: TestGateway; idp: TestIdentityProvider }> {
  idp = await startTestIdentityProvider();
  running = await startTestGateway({
    env: {
      AUTH_JWKS_URL: idp.jwksUrl,
      AUTH_JWT_ISSUER: TEST_ISSUER,
      AUTH_JWT_AUDIENCE: TEST_AUDIENCE,
      ...env,
    },
  });
  return { gateway: running, idp };
}

function placeOrderWith(gateway: TestGateway, token: string, orderId = `o-${Math.random()}`) {
  return sendGraphQL<{ placeOrder: Payload }>(
    gateway.url,
    PLACE_ORDER,
    { input: order(orderId) },
    {
      authorization: `Bearer ${token}`,
    },
  );
}

const upstreamRequests = (gateway: TestGateway) =>
  gateway.inventory.requestCount() + gateway.crm.requestCount();
const seconds = () => Math.floor(Date.now() / 1000);

describe('JWT authentication', () => {
  it('accepts a token signed by a JWKS key, fetching the key set once', async () => {
    const { gateway, idp } = await startWithJwt();
    const token = await idp.sign(WRITER);
    const first = await placeOrderWith(gateway, token);
    const second = await placeOrderWith(gateway, token);
    expect([first.status, first.body.data?.placeOrder.status]).toEqual([200, 'SUCCEEDED']);
    expect([second.status, second.body.data?.placeOrder.status]).toEqual([200, 'SUCCEEDED']);
    expect(idp.requestCount()).toBe(1);
  });

  it('takes the client from azp, then client_id, then sub, and scopes from scope or scp', async () => {
    const { gateway, idp } = await startWithJwt();
    const key = { idempotencyKey: 'same-key' };
    const send = async (claims: Record<string, unknown>) =>
      sendGraphQL<{ placeOrder: Payload }>(
        gateway.url,
        PLACE_ORDER,
        { input: order('o-claims'), options: key },
        {
          authorization: `Bearer ${await idp.sign(claims)}`,
        },
      );
    // Three tokens for one client, each naming it a different way: the second and third are replays.
    const byAzp = await send({ azp: 'shop', sub: 'user-1', scope: 'orders:write' });
    const byClientId = await send({ client_id: 'shop', sub: 'user-2', scp: ['orders:write'] });
    const bySub = await send({ sub: 'shop', scp: 'targets:read orders:write' });
    expect(byAzp.headers.get('idempotent-replayed')).toBeNull();
    expect(byClientId.headers.get('idempotent-replayed')).toBe('true');
    expect(bySub.headers.get('idempotent-replayed')).toBe('true');
    // A different client with the same key gets its own record.
    const other = await send({ azp: 'kiosk', sub: 'shop', scope: 'orders:write' });
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(gateway.inventory.requestCount()).toBe(2);
  });

  it('reads the client from AUTH_JWT_CLIENT_CLAIM when set', async () => {
    const { gateway, idp } = await startWithJwt({ AUTH_JWT_CLIENT_CLAIM: 'appid' });
    const send = async (claims: Record<string, unknown>) =>
      sendGraphQL(
        gateway.url,
        PLACE_ORDER,
        { input: order('o-appid'), options: { idempotencyKey: 'k' } },
        {
          authorization: `Bearer ${await idp.sign({ scope: 'orders:write', ...claims })}`,
        },
      );
    await send({ appid: 'shop', azp: 'ignored-1' });
    const replay = await send({ appid: 'shop', azp: 'ignored-2' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('answers 401 naming the problem for an expired token, a wrong issuer, a wrong audience or no client claim', async () => {
    const { gateway, idp } = await startWithJwt();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...WRITER, iat: seconds() - 600, exp: seconds() - 60 }, 'invalid token: expired'],
      [{ ...WRITER, iss: 'https://evil.test/' }, 'invalid token: issuer not accepted'],
      [{ ...WRITER, aud: 'some-other-api' }, 'invalid token: audience not accepted'],
      [{ ...WRITER, nbf: seconds() + 600 }, 'invalid token: not yet valid'],
      [{ ...WRITER, exp: undefined }, 'invalid token: the exp claim is missing'],
      [{ scope: 'orders:write' }, 'invalid token: no client claim (azp, client_id, sub)'],
    ];
    for (const [claims, message] of cases) {
      const response = await placeOrderWith(gateway, await idp.sign(claims));
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer realm="fanout-gateway", error="invalid_token", error_description="${message}"`,
      );
    }
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('answers 401 "invalid token" for an unknown kid, a bad signature or a mangled token, and sends nothing upstream', async () => {
    const { gateway, idp } = await startWithJwt();
    const valid = await idp.sign(WRITER);
    const [header, payload] = valid.split('.');
    const tokens = [
      await idp.sign(WRITER, { kid: 'not-in-the-jwks', foreignKey: true }),
      await idp.sign(WRITER, { foreignKey: true }),
      `${header}.${payload}.${'A'.repeat(342)}`,
      `${header}.${Buffer.from('{"azp":"shop"}').toString('base64url')}.${valid.split('.')[2]}`,
    ];
    for (const token of tokens) {
      const response = await placeOrderWith(gateway, token);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        errors: [{ message: 'invalid token', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('refuses a token signed with an algorithm outside AUTH_JWT_ALGORITHMS', async () => {
    const { gateway, idp } = await startWithJwt({ AUTH_JWT_ALGORITHMS: 'ES256' });
    const response = await placeOrderWith(gateway, await idp.sign(WRITER));
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.message).toBe('invalid token: signing algorithm not accepted');
  });

  it('refuses a caller whose token lacks the scope: FORBIDDEN naming it, HTTP 403, nothing sent', async () => {
    const { gateway, idp } = await startWithJwt();
    const reader = await idp.sign({ azp: 'dashboard', scope: 'targets:read' });
    const writer = await idp.sign({ azp: 'shop', scope: 'orders:write' });
    const write = await placeOrderWith(gateway, reader);
    const read = await sendGraphQL(gateway.url, TARGETS, {}, { authorization: `Bearer ${writer}` });
    const allowedRead = await sendGraphQL(gateway.url, TARGETS, {}, { authorization: `Bearer ${reader}` });
    expect([write.status, write.body.errors?.[0]?.extensions]).toEqual([
      403,
      expect.objectContaining({ code: 'FORBIDDEN', scope: 'orders:write' }),
    ]);
    expect([read.status, read.body.errors?.[0]?.extensions]).toEqual([
      403,
      expect.objectContaining({ code: 'FORBIDDEN', scope: 'targets:read' }),
    ]);
    expect(allowedRead.status).toBe(200);
    expect(upstreamRequests(gateway)).toBe(0);
  });

  it('answers 503 AUTHENTICATION_UNAVAILABLE when the JWKS cannot be fetched, not 401', async () => {
    const closedPort = await freePort();
    idp = await startTestIdentityProvider();
    running = await startTestGateway({
      env: {
        AUTH_JWKS_URL: `http://127.0.0.1:${closedPort}/jwks.json`,
        AUTH_JWT_ISSUER: TEST_ISSUER,
        AUTH_JWT_AUDIENCE: TEST_AUDIENCE,
      },
    });
    const response = await placeOrderWith(running, await idp.sign(WRITER));
    expect(response.status).toBe(503);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'AUTHENTICATION_UNAVAILABLE' });
    expect(upstreamRequests(running)).toBe(0);
  });

  it('verifies with a static public key from AUTH_JWT_PUBLIC_KEY_FILE, without any JWKS', async () => {
    idp = await startTestIdentityProvider();
    const dir = mkdtempSync(join(tmpdir(), 'fanout-jwt-'));
    tempDirs.push(dir);
    const keyFile = join(dir, 'issuer.pem');
    writeFileSync(keyFile, await idp.publicKeyPem());
    running = await startTestGateway({
      env: {
        AUTH_JWT_PUBLIC_KEY_FILE: keyFile,
        AUTH_JWT_ISSUER: TEST_ISSUER,
        AUTH_JWT_AUDIENCE: TEST_AUDIENCE,
      },
    });
    const accepted = await placeOrderWith(running, await idp.sign(WRITER));
    const forged = await placeOrderWith(running, await idp.sign(WRITER, { foreignKey: true }));
    expect([accepted.status, forged.status]).toEqual([200, 401]);
    expect(idp.requestCount()).toBe(0);
  });

  it('with api-keys,jwt, verifies a JWT-shaped bearer as a JWT and tries any other bearer as an API key', async () => {
    const apiKey = 'fgk_both-modes-key';
    const { gateway, idp } = await startWithJwt({
      AUTH_MODE: 'api-keys,jwt',
      AUTH_API_KEYS: `batch-job:${hashApiKey(apiKey)}:orders:write`,
    });
    const byJwt = await placeOrderWith(gateway, await idp.sign(WRITER));
    const byKey = await placeOrderWith(gateway, apiKey);
    const byHeader = await sendGraphQL(
      gateway.url,
      PLACE_ORDER,
      { input: order('o-x-api-key') },
      {
        'x-api-key': apiKey,
      },
    );
    const wrongKey = await placeOrderWith(gateway, 'fgk_wrong');
    expect([byJwt.status, byKey.status, byHeader.status, wrongKey.status]).toEqual([200, 200, 200, 401]);
    expect(wrongKey.body.errors?.[0]?.message).toBe('missing or invalid credentials');
  });
});

/** Private: a port nothing listens on (taken, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}
