// Benchmark baseline: a hand-written fan-out (node:http + two undici Pools), no GraphQL, no validation.
// It is the floor the gateway is compared with. Env: PORT, HOST, INVENTORY_API_URL, INVENTORY_API_TOKEN,
// CRM_API_URL, CRM_API_KEY (the gateway's names). Routes: POST /graphql, GET /readyz.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';

interface OrderInput {
  orderId: string;
  customerId: string;
  items: { sku: string; quantity: number }[];
}

interface UpstreamResult {
  httpStatus: number;
  body: unknown;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`baseline: ${name} is required`);
  return value;
}

// The same pool settings as the gateway's defaults (src/upstream/create-upstream-pool.ts, 64 connections).
function createPool(url: string): Pool {
  return new Pool(new URL(url).origin, {
    connections: 64,
    pipelining: 1,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
  });
}

const inventory = createPool(required('INVENTORY_API_URL'));
const crm = createPool(required('CRM_API_URL'));
const inventoryHeaders = {
  'content-type': 'application/json',
  authorization: `Bearer ${required('INVENTORY_API_TOKEN')}`,
};
const crmHeaders = { 'content-type': 'application/json', 'x-api-key': required('CRM_API_KEY') };

async function post(pool: Pool, path: string, headers: Record<string, string>, body: unknown) {
  const response = await pool.request({ method: 'POST', path, headers, body: JSON.stringify(body) });
  const result: UpstreamResult = { httpStatus: response.statusCode, body: await response.body.json() };
  return result;
}

async function placeOrder(order: OrderInput) {
  const started = performance.now();
  const items = order.items.map((item) => ({ sku: item.sku, quantity: item.quantity }));
  const [deducted, logged] = await Promise.allSettled([
    post(inventory, '/inventory/deduct', inventoryHeaders, { orderId: order.orderId, items }),
    post(crm, '/crm/log_activity', crmHeaders, {
      customerId: order.customerId,
      orderId: order.orderId,
      type: 'order_placed',
      details: { items, itemCount: items.reduce((sum, item) => sum + item.quantity, 0) },
    }),
  ]);
  const succeeded = [deducted, logged].every(
    (settled) => settled.status === 'fulfilled' && settled.value.httpStatus === 201,
  );
  const describe = (settled: PromiseSettledResult<UpstreamResult>) =>
    settled.status === 'fulfilled' ? settled.value : { error: String(settled.reason) };
  return {
    orderId: order.orderId,
    status: succeeded ? 'SUCCEEDED' : 'FAILED',
    inventory: describe(deducted),
    crm: describe(logged),
    durationMs: performance.now() - started,
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'GET' && request.url === '/readyz') return send(response, 200, { status: 'ready' });
  if (request.method !== 'POST' || request.url !== '/graphql')
    return send(response, 404, { error: 'not_found' });
  // The same GraphQL request body the gateway gets; only `variables.input` is read, unchecked.
  const parsed = JSON.parse(await readBody(request)) as { variables: { input: OrderInput } };
  send(response, 200, await placeOrder(parsed.variables.input));
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => send(response, 500, { error: String(error) }));
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');

async function stop(): Promise<void> {
  server.close();
  server.closeAllConnections();
  await Promise.all([inventory.close(), crm.close()]);
  process.exit(0);
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
