// HTTPS upstreams: a private CA from INVENTORY_CA_FILE, and mutual TLS with a client certificate.
import type { ServerOptions } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { deductionFor, type ScriptedUpstream, startScriptedUpstream } from './support/scripted-upstream.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { createTestCertificates, type TestCertificates } from './support/test-certificates.js';

let certs: TestCertificates;
beforeAll(() => {
  certs = createTestCertificates();
});
afterAll(() => certs.remove());

let running: TestGateway | undefined;
let inventory: ScriptedUpstream | undefined;
afterEach(async () => {
  await running?.close();
  await inventory?.close();
  running = undefined;
  inventory = undefined;
});

/** An HTTPS Inventory API (its certificate signed by the test CA) that deducts every order it gets. */
async function httpsInventory(extra: ServerOptions = {}): Promise<ScriptedUpstream> {
  inventory = await startScriptedUpstream((request) => ({ status: 201, body: deductionFor(request.body) }), {
    tls: { cert: certs.serverCert, key: certs.serverKey, ...extra },
  });
  return inventory;
}

async function placeOrderThrough(upstream: ScriptedUpstream, env: Record<string, string>): Promise<Payload> {
  running = await startTestGateway({
    inventoryUrl: upstream.url,
    env: { INVENTORY_MAX_ATTEMPTS: '1', ...env },
  });
  const response = await running.graphql<{ placeOrder: Payload }>(PLACE_ORDER, { input: order('o-tls') });
  expect(response.body.errors).toBeUndefined();
  const payload = response.body.data?.placeOrder;
  if (!payload) throw new Error(JSON.stringify(response.body));
  return payload;
}

describe('an HTTPS upstream with a private CA', () => {
  it('places the order when INVENTORY_CA_FILE trusts the CA that signed the upstream’s certificate', async () => {
    const upstream = await httpsInventory();
    const payload = await placeOrderThrough(upstream, { INVENTORY_CA_FILE: certs.caFile });

    expect(upstream.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(payload.status).toBe('SUCCEEDED');
    expect(payload.inventory).toMatchObject({
      __typename: 'StockDeducted',
      deductionId: 'ded-o-tls',
      items: [{ sku: 'SKU-RED-MUG', quantity: 1, remaining: 100 }],
    });
    expect(upstream.requests).toHaveLength(1);
  });

  it('answers a retryable UpstreamUnavailable naming the TLS failure, with nothing sent, without the CA', async () => {
    const upstream = await httpsInventory();
    // Keys off: only a request that provably never left may be retryable.
    const payload = await placeOrderThrough(upstream, { INVENTORY_IDEMPOTENCY_KEYS: 'false' });

    expect(payload.status).toBe('PARTIALLY_SUCCEEDED');
    expect(payload.inventory).toMatchObject({
      __typename: 'UpstreamUnavailable',
      target: 'INVENTORY',
      retryable: true,
      httpStatus: null,
      attempts: 1,
    });
    expect(payload.inventory.message).toMatch(
      /^Inventory API could not be reached: the TLS handshake failed \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)$/,
    );
    expect(payload.crm.__typename).toBe('ActivityLogged');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('an HTTPS upstream that requires a client certificate (mTLS)', () => {
  const requireClientCert = () => ({ ca: certs.ca, requestCert: true, rejectUnauthorized: true });

  it('places the order when the gateway presents the certificate and key the upstream’s CA signed', async () => {
    const upstream = await httpsInventory(requireClientCert());
    const payload = await placeOrderThrough(upstream, {
      INVENTORY_CA_FILE: certs.caFile,
      INVENTORY_CLIENT_CERT_FILE: certs.clientCertFile,
      INVENTORY_CLIENT_KEY_FILE: certs.clientKeyFile,
    });

    expect(payload.inventory).toMatchObject({ __typename: 'StockDeducted', deductionId: 'ded-o-tls' });
    expect(upstream.requests).toHaveLength(1);
  });

  it('fails as UpstreamUnavailable, and the upstream handles nothing, without a client certificate', async () => {
    const upstream = await httpsInventory(requireClientCert());
    const payload = await placeOrderThrough(upstream, { INVENTORY_CA_FILE: certs.caFile });

    expect(payload.inventory).toMatchObject({
      __typename: 'UpstreamUnavailable',
      target: 'INVENTORY',
      httpStatus: null,
      attempts: 1,
    });
    expect(payload.inventory.message).toMatch(/^Inventory API /);
    expect(upstream.requests).toHaveLength(0);
  });
});
