// The SQL of the embedded delivery queue, prepared once per connection. Each statement touches few rows.
import type Database from 'better-sqlite3';
import type { DeliveryRow } from './sqlite-delivery-row.js';

/** Clears the claim; used by every transition out of IN_FLIGHT. */
const RELEASE = 'claim_token = NULL, lease_expires_at = NULL, cancel_requested = 0, updated_at = @now';
/** Where a claimed-side call may act: still IN_FLIGHT under the caller's claim. */
const HELD = "id = @id AND state = 'IN_FLIGHT' AND claim_token = @token";
/** An attempt that would go back to the queue or to DEAD ends CANCELLED when cancel was requested. */
const UNLESS_CANCELLED = (state: string) =>
  `CASE WHEN cancel_requested = 1 THEN 'CANCELLED' ELSE '${state}' END`;
const DUE_UNLESS_CANCELLED = (due: string) => `CASE WHEN cancel_requested = 1 THEN NULL ELSE ${due} END`;

export const REPLAYABLE_STATES = "('DEAD', 'CANCELLED')";

const SQL = {
  // QUEUED, or IN_FLIGHT under the caller's claim (@token and @leaseExpiresAt both set) as claimDue leaves it.
  insert: `INSERT INTO deliveries (id, kind, order_id, target, upstream_key, payload, traceparent, client_id,
             created_at, updated_at, state, attempts, next_attempt_at, last_failure, claim_token, lease_expires_at)
           VALUES (@id, @kind, @orderId, @target, @upstreamKey, @payload, @traceparent, @clientId,
             @now, @now, CASE WHEN @token IS NULL THEN 'QUEUED' ELSE 'IN_FLIGHT' END, @attempts, @nextAttemptAt,
             @lastFailure, @token, @leaseExpiresAt)
           ON CONFLICT (id) DO NOTHING RETURNING *`,
  byId: 'SELECT * FROM deliveries WHERE id = ?',
  // The expired attempt counts: its worker may have sent it before it stopped (@failure says so).
  expireLeases: `UPDATE deliveries SET state = ${UNLESS_CANCELLED('QUEUED')},
                   next_attempt_at = ${DUE_UNLESS_CANCELLED('next_attempt_at')}, attempts = attempts + 1,
                   last_failure = @failure, ${RELEASE}
                 WHERE state = 'IN_FLIGHT' AND lease_expires_at <= @now RETURNING *`,
  claim: `UPDATE deliveries SET state = 'IN_FLIGHT', claim_token = @token, lease_expires_at = @leaseExpiresAt,
            updated_at = @now
          WHERE seq IN (SELECT seq FROM deliveries
                        WHERE target = @target AND state = 'QUEUED' AND next_attempt_at <= @now
                        ORDER BY next_attempt_at, seq LIMIT @limit)
          RETURNING *`,
  extendLease: `UPDATE deliveries SET lease_expires_at = @leaseExpiresAt WHERE ${HELD} RETURNING *`,
  complete: `UPDATE deliveries SET state = 'DELIVERED', result = @result, delivered_at = @now,
               attempts = attempts + 1, next_attempt_at = NULL, ${RELEASE}
             WHERE ${HELD} RETURNING *`,
  retryLater: `UPDATE deliveries SET state = ${UNLESS_CANCELLED('QUEUED')},
                 next_attempt_at = ${DUE_UNLESS_CANCELLED('@at')}, attempts = attempts + 1,
                 last_failure = @failure, ${RELEASE}
               WHERE ${HELD} RETURNING *`,
  postpone: `UPDATE deliveries SET state = ${UNLESS_CANCELLED('QUEUED')},
               next_attempt_at = ${DUE_UNLESS_CANCELLED('@at')}, ${RELEASE}
             WHERE ${HELD} RETURNING *`,
  kill: `UPDATE deliveries SET state = ${UNLESS_CANCELLED('DEAD')}, next_attempt_at = NULL,
           attempts = attempts + 1, last_failure = @failure, ${RELEASE}
         WHERE ${HELD} RETURNING *`,
  replay: `UPDATE deliveries SET state = 'QUEUED', next_attempt_at = @now, updated_at = @now
           WHERE id = @id AND state IN ${REPLAYABLE_STATES} RETURNING *`,
  replayBySeq: `UPDATE deliveries SET state = 'QUEUED', next_attempt_at = @now, updated_at = @now
                WHERE seq = @seq RETURNING *`,
  cancelWaiting: `UPDATE deliveries SET state = 'CANCELLED', next_attempt_at = NULL, updated_at = @now
                  WHERE id = @id AND state IN ('QUEUED', 'DEAD') RETURNING *`,
  requestCancel: `UPDATE deliveries SET cancel_requested = 1
                  WHERE id = @id AND state = 'IN_FLIGHT' RETURNING *`,
  // Bounded chunks keep each transaction (and the event loop's stall) short; the caller loops.
  prune: `DELETE FROM deliveries WHERE seq IN (
            SELECT seq FROM deliveries WHERE state IN ('DELIVERED', 'CANCELLED') AND updated_at < @before
            LIMIT @limit)`,
  countsByTargetAndState: 'SELECT target, state, count(*) AS count FROM deliveries GROUP BY target, state',
  // A delivery whose lease expired is due again too, even before a claim sweeps it back to QUEUED.
  oldestDueByTarget: `SELECT target, min(next_attempt_at) AS dueAt FROM deliveries
                      WHERE (state = 'QUEUED' AND next_attempt_at <= @now)
                         OR (state = 'IN_FLIGHT' AND lease_expires_at <= @now)
                      GROUP BY target`,
} as const;

export type DeliveryStatements = { readonly [name in keyof typeof SQL]: Database.Statement };

export function prepareDeliveryStatements(db: Database.Database): DeliveryStatements {
  return Object.fromEntries(
    Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
  ) as unknown as DeliveryStatements;
}

/** Runs a RETURNING statement and types its rows. */
export function returningRows(statement: Database.Statement, params: object): DeliveryRow[] {
  return statement.all(params) as DeliveryRow[];
}
