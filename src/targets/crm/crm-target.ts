// The CRM target (contracts/crm-api.yaml): log the order as customer activity; delete it to compensate.
import type { TargetModule } from '../target-module.js';
import { type ActivityRecord, crmEndpoints } from './crm-endpoints.js';
import { type ActivityLoggedMember, crmGraphQL } from './crm-graphql.js';
import { deleteActivityRequest } from './delete-activity-request.js';

const id = 'crm';
const label = 'CRM API';

export const crmTarget: TargetModule<'crm', ActivityRecord, ActivityLoggedMember, 'CRM'> = {
  id,
  label,
  graphql: crmGraphQL,
  section: ({ targets: { crm } }) => ({ settings: crm, credential: crm.apiKey }),
  definition: (apiKey) => ({ id, label, ...crmEndpoints(apiKey) }),
  compensation: deleteActivityRequest,
};
