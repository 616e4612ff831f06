// deleteActivityRequest: the upstream-chosen id stays one path segment, and what counts as deleted.
import { describe, expect, it } from 'vitest';
import { deleteActivityRequest } from './delete-activity-request.js';

const activity = (activityId: string) => ({
  orderId: 'o-1',
  activityId,
  loggedAt: '',
  replayed: false,
  attempts: 1,
});

describe('deleteActivityRequest', () => {
  it('encodes an id of dots, which encodeURIComponent leaves alone, so no proxy resolves it to another path', () => {
    expect(deleteActivityRequest(activity('..')).path).toBe('/crm/activities/%2E%2E');
    expect(deleteActivityRequest(activity('.')).path).toBe('/crm/activities/%2E');
    expect(deleteActivityRequest(activity('a.b')).path).toBe('/crm/activities/a.b');
  });

  it('counts 204, 200 and 404 (already gone) as deleted, and never a 5xx', () => {
    const { undoneStatuses } = deleteActivityRequest(activity('act_1'));
    expect([...undoneStatuses].sort()).toEqual([200, 204, 404]);
  });
});
