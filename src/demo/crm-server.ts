// Demo CRM upstream: implements crm-api.yaml for real, with fault knobs and request recording.
import { malformedBatchBody, parseBatchEnvelope, runBatchItems } from './batch-endpoint.js';
import type { ContractRoute } from './contract-route.js';
import { activityBatchItemSchema, activityRequestSchema } from './crm-schemas.js';
import { type Activity, type CrmStore, createCrmStore } from './crm-store.js';
import { apiKeyAuthorizer } from './demo-auth.js';
import { DEMO_CRM_API_KEY, demoCustomerIds } from './demo-data.js';
import { type DemoServer, type DemoServerOptions, startDemoServer } from './demo-server.js';
import { createIdempotencyLedger, type IdempotencyLedger } from './idempotency-ledger.js';
import { answerIdempotentCall, pathParam } from './idempotent-call.js';
import { parseContractBody } from './request-validation.js';

/** Options of the demo CRM server. */
export interface CrmServerOptions extends DemoServerOptions {
  /** The `X-API-Key` every request must carry. @default 'demo-crm-key' */
  apiKey?: string;
  /** Known customer ids; others get 404 `unknown_customer`. @default 'CUST-1' .. 'CUST-1000' */
  customers?: Iterable<string>;
  /** Accept activities for any customer id. @default false */
  acceptAnyCustomer?: boolean;
}

/** A running demo CRM server. */
export interface CrmDemoServer extends DemoServer {
  /** The customer's activities, newest first. */
  activitiesOf(customerId: string): Activity[];
}

const LOG_SCOPE = 'log_activity';

/** Starts the demo CRM server; resolves once it listens. */
export async function createCrmServer(options: CrmServerOptions = {}): Promise<CrmDemoServer> {
  const store = createCrmStore({
    customers: options.customers ?? demoCustomerIds(),
    acceptAnyCustomer: options.acceptAnyCustomer ?? false,
  });
  const ledger = createIdempotencyLedger(options.idempotencyLimit);
  const server = await startDemoServer(options, {
    authorize: apiKeyAuthorizer(options.apiKey ?? DEMO_CRM_API_KEY),
    routes: crmRoutes(store, ledger),
  });
  return Object.assign(server, { activitiesOf: (customerId: string) => store.activitiesOf(customerId) });
}

// Private: the four paths of crm-api.yaml. The batch path declares no Idempotency-Key header, only item keys.
function crmRoutes(store: CrmStore, ledger: IdempotencyLedger): ContractRoute[] {
  return [
    {
      method: 'POST',
      url: '/crm/log_activity',
      successStatus: 201,
      handle: (request) =>
        answerIdempotentCall(request, {
          ledger,
          scope: LOG_SCOPE,
          parse: (body) => parseContractBody(activityRequestSchema, body),
          apply: (activity) => store.logActivity(activity),
        }),
    },
    {
      method: 'POST',
      url: '/crm/log_activity/batch',
      successStatus: 200,
      malformedBody: malformedBatchBody('activities'),
      handle: (request) => {
        const envelope = parseBatchEnvelope(request.body, 'activities');
        if (!envelope.ok) return envelope.answer;
        return runBatchItems(envelope.value, {
          field: 'activities',
          itemSchema: activityBatchItemSchema,
          ledger,
          scope: LOG_SCOPE,
          apply: (activity) => store.logActivity(activity),
        });
      },
    },
    {
      method: 'DELETE',
      url: '/crm/activities/:activityId',
      successStatus: 204,
      handle: (request) => {
        store.deleteActivity(pathParam(request, 'activityId'));
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      url: '/crm/customers/:customerId/activities',
      successStatus: 200,
      handle: (request) => ({
        status: 200,
        body: { activities: store.activitiesOf(pathParam(request, 'customerId')) },
      }),
    },
  ];
}
