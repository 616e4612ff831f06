// Inventory and CRM servers written from contracts/*.yaml alone (node:http, not our demo): the saga must work against any such server.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CRM_API_KEY, DEMO_INVENTORY_TOKEN } from '../../src/demo/index.js';
import type { SeenRequest } from './saga-upstream-reads.js';

/** One contract answer. */
interface Answer {
  readonly status: number;
  readonly body?: unknown;
  /** A keyed POST answered from its first run: sent with `Idempotent-Replayed: true`. */
  readonly replayed?: boolean;
}

type Route = (request: SeenRequest, params: readonly string[]) => Answer;

export interface ContractUpstream {
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

const error = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: code, message },
});

/** Inventory per inventory-api.yaml: deduct (keyed, all or nothing), restore (a no-op the second time), stock. */
export function startContractInventory(stock: Record<string, number>): Promise<ContractUpstream> {
  const units = new Map(Object.entries(stock));
  const deductions = new Map<string, { items: { sku: string; quantity: number }[]; restored: boolean }>();
  const deduct: Route = ({ body }) => {
    const { orderId, items } = body as { orderId: string; items: { sku: string; quantity: number }[] };
    for (const { sku, quantity } of items) {
      const available = units.get(sku);
      if (available === undefined) return error(422, 'unknown_sku', `unknown SKU ${sku}`);
      if (available < quantity) return error(409, 'insufficient_stock', `${sku}: only ${available} left`);
    }
    const deductionId = `inv-${randomUUID()}`;
    const deducted = items.map(({ sku, quantity }) => {
      const remaining = (units.get(sku) ?? 0) - quantity;
      units.set(sku, remaining);
      return { sku, quantity, remaining };
    });
    deductions.set(deductionId, { items, restored: false });
    return { status: 201, body: { deductionId, orderId, items: deducted, warehouse: 'independent-1' } };
  };
  const restore: Route = ({ body }) => {
    const { deductionId } = body as { deductionId: string };
    const deduction = deductions.get(deductionId);
    if (!deduction) return error(404, 'unknown_deduction', `no deduction ${deductionId}`);
    if (!deduction.restored)
      for (const { sku, quantity } of deduction.items) units.set(sku, (units.get(sku) ?? 0) + quantity);
    deduction.restored = true;
    return { status: 200, body: { deductionId, restored: true } };
  };
  const available: Route = (_request, [sku = '']) => {
    const count = units.get(sku);
    return count === undefined
      ? error(404, 'unknown_sku', sku)
      : { status: 200, body: { sku, available: count } };
  };
  return startContractServer(
    (headers) => headers.authorization === `Bearer ${DEMO_INVENTORY_TOKEN}`,
    [
      ['POST', /^\/inventory\/deduct$/, keyed(deduct)],
      ['POST', /^\/inventory\/restore$/, restore],
      ['GET', /^\/inventory\/stock\/([^/]+)$/, available],
    ],
  );
}

/** CRM per crm-api.yaml: log an activity (keyed), delete one (204 even when gone), list a customer's. */
export function startContractCrm(customers: readonly string[]): Promise<ContractUpstream> {
  const known = new Set(customers);
  const activities = new Map<
    string,
    { activityId: string; customerId: string; orderId: string; type: string; loggedAt: string }
  >();
  const log: Route = ({ body }) => {
    const { customerId, orderId, type } = body as { customerId: string; orderId: string; type: string };
    if (!known.has(customerId)) return error(404, 'unknown_customer', `no customer ${customerId}`);
    const activity = {
      activityId: `A${randomUUID()}`,
      customerId,
      orderId,
      type,
      loggedAt: new Date().toISOString(),
    };
    activities.set(activity.activityId, activity);
    return { status: 201, body: { ...activity, source: 'independent' } };
  };
  const remove: Route = (_request, [activityId = '']) => {
    activities.delete(decodeURIComponent(activityId));
    return { status: 204 };
  };
  const list: Route = (_request, [customerId = '']) => {
    const id = decodeURIComponent(customerId);
    const mine = [...activities.values()].filter((activity) => activity.customerId === id).reverse();
    return { status: 200, body: { activities: mine } };
  };
  return startContractServer(
    (headers) => headers['x-api-key'] === DEMO_CRM_API_KEY,
    [
      ['POST', /^\/crm\/log_activity$/, keyed(log)],
      ['DELETE', /^\/crm\/activities\/([^/]+)$/, remove],
      ['GET', /^\/crm\/customers\/([^/]+)\/activities$/, list],
    ],
  );
}

/**
 * Private: the contracts' idempotency for a POST: a key applies once; the same key and body replay the
 * first answer with `Idempotent-Replayed: true`; the same key with another body is 422.
 */
function keyed(route: Route): Route {
  const seen = new Map<string, { body: string; answer: Answer }>();
  return (request, params) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') return route(request, params);
    const body = canonical(request.body);
    const first = seen.get(key);
    if (first && first.body !== body) return error(422, 'idempotency_key_reused', `key ${key} reused`);
    if (first) return { ...first.answer, replayed: true };
    const answer = route(request, params);
    seen.set(key, { body, answer });
    return answer;
  };
}

/** Private: JSON with sorted keys, so two equal bodies compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Private: a node:http server on 127.0.0.1 that records, authenticates and routes every request. */
async function startContractServer(
  authorized: (headers: SeenRequest['headers']) => boolean,
  routes: readonly (readonly [string, RegExp, Route])[],
): Promise<ContractUpstream> {
  const requests: SeenRequest[] = [];
  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const parts: Buffer[] = [];
    for await (const part of incoming) parts.push(part as Buffer);
    const text = Buffer.concat(parts).toString('utf8');
    const path = (incoming.url ?? '/').split('?')[0] ?? '/';
    const request: SeenRequest = {
      method: incoming.method ?? 'GET',
      path,
      headers: incoming.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    requests.push(request);
    const answer = answerFor(request, authorized, routes);
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    outgoing.writeHead(answer.status, {
      ...(body && {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      }),
      ...(answer.replayed && { 'idempotent-replayed': 'true' }),
    });
    outgoing.end(body);
  };
  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch(() => outgoing.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Private: 401 without credentials, 404 off the contract's paths, else the route's answer. */
function answerFor(
  request: SeenRequest,
  authorized: (headers: SeenRequest['headers']) => boolean,
  routes: readonly (readonly [string, RegExp, Route])[],
): Answer {
  if (!authorized(request.headers)) return error(401, 'unauthorized', 'missing or wrong credentials');
  for (const [method, pattern, route] of routes) {
    const match = pattern.exec(request.path);
    if (match && method === request.method) return route(request, match.slice(1));
  }
  return error(404, 'not_found', `${request.method} ${request.path} is not in the contract`);
}
