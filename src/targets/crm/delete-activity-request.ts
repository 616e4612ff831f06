// The CRM API's compensation: DELETE /crm/activities/{activityId} removes a logged activity (deleting twice is a no-op).
import type { CompensationRequest } from '../compensation-request.js';
import type { ActivityRecord } from './crm-endpoints.js';

/** Deletes the activity the order logged; the id is the upstream's, so it is encoded as one path segment. */
export function deleteActivityRequest(activity: ActivityRecord): CompensationRequest {
  return {
    method: 'DELETE',
    path: `/crm/activities/${encodeURIComponent(activity.activityId)}`,
    undoneStatuses: [204],
  };
}
