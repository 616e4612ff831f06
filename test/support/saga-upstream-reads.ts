// Reads an upstream's real state through its published API (any server honouring the contracts), for the saga tests.
import { DEMO_CRM_API_KEY, DEMO_INVENTORY_TOKEN } from '../../src/demo/index.js';

/** What the saga tests need of a recorded upstream request. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

/** Units of `sku` available now: `GET /inventory/stock/{sku}` (inventory-api.yaml). */
export async function stockAt(inventoryUrl: string, sku: string): Promise<number> {
  const response = await fetch(`${inventoryUrl}/inventory/stock/${encodeURIComponent(sku)}`, {
    headers: { authorization: `Bearer ${DEMO_INVENTORY_TOKEN}` },
  });
  if (response.status !== 200) throw new Error(`GET stock of ${sku}: ${response.status}`);
  return ((await response.json()) as { available: number }).available;
}

/** The activity ids the CRM holds for `customerId` and `orderId`: `GET /crm/customers/{id}/activities` (crm-api.yaml). */
export async function activityIdsAt(crmUrl: string, customerId: string, orderId: string): Promise<string[]> {
  const response = await fetch(`${crmUrl}/crm/customers/${encodeURIComponent(customerId)}/activities`, {
    headers: { 'x-api-key': DEMO_CRM_API_KEY },
  });
  if (response.status !== 200) throw new Error(`GET activities of ${customerId}: ${response.status}`);
  const { activities } = (await response.json()) as { activities: { activityId: string; orderId: string }[] };
  return activities.filter((activity) => activity.orderId === orderId).map(({ activityId }) => activityId);
}

/** The requests whose body names `orderId` (writes) — single calls and batch items alike. */
export function writesFor(requests: readonly SeenRequest[], orderId: string): SeenRequest[] {
  return requests.filter((request) => JSON.stringify(request.body ?? null).includes(`"${orderId}"`));
}

/** The compensation requests an upstream received: Inventory restores and CRM activity deletes. */
export function compensationRequests(requests: readonly SeenRequest[]): SeenRequest[] {
  return requests.filter(
    ({ method, path }) =>
      (method === 'POST' && path === '/inventory/restore') ||
      (method === 'DELETE' && path.startsWith('/crm/activities/')),
  );
}

/** The restore requests for one deduction. */
export function restoresOf(requests: readonly SeenRequest[], deductionId: string): SeenRequest[] {
  return compensationRequests(requests).filter(
    ({ path, body }) =>
      path === '/inventory/restore' &&
      (body as { deductionId?: unknown } | undefined)?.deductionId === deductionId,
  );
}
