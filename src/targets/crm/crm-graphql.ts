// The CRM target in the public schema: Target.CRM, and ActivityLogged as its success member.
import type { TargetGraphQLMapping } from '../target-module.js';
import type { ActivityRecord } from './crm-endpoints.js';

/** `ActivityLogged` as resolvers return it (the graphql layer checks it against the generated type). */
export interface ActivityLoggedMember {
  readonly __typename: 'ActivityLogged';
  readonly activityId: string;
  readonly loggedAt: string;
  readonly replayed: boolean;
  readonly attempts: number;
}

export const crmGraphQL: TargetGraphQLMapping<ActivityRecord, ActivityLoggedMember, 'CRM'> = {
  name: 'CRM',
  successTypename: 'ActivityLogged',
  toSuccessMember: ({ activityId, loggedAt, replayed, attempts }) => ({
    __typename: 'ActivityLogged',
    activityId,
    loggedAt,
    replayed,
    attempts,
  }),
  fromSuccessMember: ({ activityId, loggedAt, attempts }, orderId) => ({
    orderId,
    activityId,
    loggedAt,
    attempts,
    replayed: true,
  }),
};
