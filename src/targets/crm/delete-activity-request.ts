// The CRM API's compensation: DELETE /crm/activities/{activityId} removes a logged activity (deleting twice is a no-op).
import type { CompensationRequest } from '../compensation-request.js';
import type { ActivityRecord } from './crm-endpoints.js';

/**
 * Deletes the activity the order logged. The id is the upstream's, so it is encoded as one path segment
 * (an id of `.` or `..` too, which encodeURIComponent leaves alone and a proxy would resolve to another
 * path). Undone: 204 (the contract: deleted or already gone), 200 (a server that answers a DELETE with a
 * body), and 404: the activity does not exist, which is the state a compensation wants — a DELETE of an
 * activity already deleted, by an earlier attempt whose answer was lost or by someone else, is undone.
 */
export function deleteActivityRequest(activity: ActivityRecord): CompensationRequest {
  return {
    method: 'DELETE',
    path: `/crm/activities/${encodePathSegment(activity.activityId)}`,
    undoneStatuses: [204, 200, 404],
  };
}

/** Private: one path segment, dot segments included. */
function encodePathSegment(value: string): string {
  return value === '.' || value === '..' ? value.replaceAll('.', '%2E') : encodeURIComponent(value);
}
