// CRM state of the demo upstream: known customers and their activities, newest first on read.
import { type ContractAnswer, errorAnswer } from './contract-answer.js';
import type { ActivityRequest } from './crm-schemas.js';

/** The contract's `Activity`. */
export interface Activity {
  readonly activityId: string;
  readonly customerId: string;
  readonly orderId: string;
  readonly type: string;
  /** ISO 8601 date-time. */
  readonly loggedAt: string;
}

/** Who the store knows. */
export interface CrmStoreOptions {
  readonly customers: Iterable<string>;
  /** Log activities for any customer id, known or not. */
  readonly acceptAnyCustomer: boolean;
}

/** Customers and activities, answering in the contract's terms. */
export interface CrmStore {
  /** 201 Activity; 404 `unknown_customer`. */
  logActivity(request: ActivityRequest): ContractAnswer;
  /** Removes the activity if it exists; always fine (204 on the wire). */
  deleteActivity(activityId: string): void;
  /** The customer's activities, newest first (empty for an unknown customer). */
  activitiesOf(customerId: string): Activity[];
}

/** Creates an empty activity store for the given customers. */
export function createCrmStore(options: CrmStoreOptions): CrmStore {
  const customers = new Set(options.customers);
  // Map keeps insertion order, so each customer's activities stay oldest first and delete is O(1).
  const byCustomer = new Map<string, Map<string, Activity>>();
  const customerOfActivity = new Map<string, string>();
  let nextId = 1;

  return {
    logActivity(request) {
      const { customerId, orderId, type } = request;
      if (!options.acceptAnyCustomer && !customers.has(customerId)) {
        return errorAnswer(404, 'unknown_customer', `customerId: unknown customer '${customerId}'`);
      }
      const activityId = `act_${nextId++}`;
      const activity: Activity = {
        activityId,
        customerId,
        orderId,
        type,
        loggedAt: new Date().toISOString(),
      };
      let activities = byCustomer.get(customerId);
      if (activities === undefined) {
        activities = new Map();
        byCustomer.set(customerId, activities);
      }
      activities.set(activityId, activity);
      customerOfActivity.set(activityId, customerId);
      return { status: 201, body: activity };
    },
    deleteActivity(activityId) {
      const customerId = customerOfActivity.get(activityId);
      if (customerId === undefined) return;
      customerOfActivity.delete(activityId);
      byCustomer.get(customerId)?.delete(activityId);
    },
    activitiesOf(customerId) {
      return [...(byCustomer.get(customerId)?.values() ?? [])].reverse();
    },
  };
}
