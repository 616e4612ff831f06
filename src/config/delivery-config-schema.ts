// The `delivery` config section: where accepted deliveries are kept, who delivers them, and how often they are retried.
import { z } from 'zod';
import { DurationError, parseDuration, parseDurationList } from '../core/index.js';
import { flag, integer } from './config-fields.js';

/** Like Svix: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later; after the 8th attempt, DEAD. */
export const DEFAULT_DELIVERY_RETRY_SCHEDULE = '0s,5s,5m,30m,2h,5h,10h,10h';

/** Compensations retry far longer than writes (about 5 days), then go DEAD with an operator alert. */
export const DEFAULT_COMPENSATION_RETRY_SCHEDULE = '0s,5s,30s,5m,30m,1h,2h,4h,8h,12h,24h,24h,24h';

/** Private: a string that must parse with `parse`; the parse error becomes the field's message. */
function durationText(parse: (text: string) => unknown) {
  return z.string().superRefine((text, context) => {
    try {
      parse(text);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
    }
  });
}

export const deliverySchema = z
  .strictObject({
    /** `sqlite` (embedded, one machine, `dataDir`) or `redis` (Redis at `redis.url`, many instances; `bullmq` is an alias). @default sqlite */
    queue: z
      .enum(['sqlite', 'redis', 'bullmq'])
      .default('sqlite')
      .describe(
        'Where accepted deliveries are kept: `sqlite` (embedded, in dataDir; processes on one machine) or `redis` (Redis at redis.url; many instances). `bullmq` is accepted as an alias of `redis` (the queue is Lua scripts on Redis, not the BullMQ job API: docs/delivery.md says why).',
      ),
    /** Directory of the embedded queue's `deliveries.sqlite`; created if missing. @default ./data */
    dataDir: z
      .string()
      .min(1)
      .default('./data')
      .describe("Directory of the embedded queue's deliveries.sqlite (created if missing)."),
    /** `on`: this process delivers queued writes; `off`: it only accepts them (run `npm run worker` elsewhere). @default on */
    worker: z
      .enum(['on', 'off'])
      .default('on')
      .describe(
        '`on`: this gateway process also delivers queued writes; `off`: it only accepts them, and `npm run worker` processes deliver.',
      ),
    /** Waits before attempt 1, 2, … of a queued delivery; after the last, DEAD. @default 0s,5s,5m,30m,2h,5h,10h,10h */
    retrySchedule: durationText((text) => parseDurationList(text, 'retry schedule', 100))
      .default(DEFAULT_DELIVERY_RETRY_SCHEDULE)
      .describe(
        'Waits before attempt 1, 2, … of a queued delivery (e.g. 0s,5s,5m,30m,2h), each ±20% jitter; after the last attempt the delivery is DEAD.',
      ),
    /** Waits before attempt 1, 2, … of a queued saga compensation; after the last, DEAD and an alert. @default 0s,5s,30s,5m,30m,1h,2h,4h,8h,12h,24h,24h,24h */
    compensationRetrySchedule: durationText((text) =>
      parseDurationList(text, 'compensation retry schedule', 100),
    )
      .default(DEFAULT_COMPENSATION_RETRY_SCHEDULE)
      .describe(
        'Waits before attempt 1, 2, … of a queued saga compensation (undoing a write), each ±20% jitter; much longer than retrySchedule, since a write left applied needs an operator. After the last attempt the compensation is DEAD: metric fanout_compensations_dead_total and an error log line.',
      ),
    /** How long DELIVERED and CANCELLED deliveries stay listed; DEAD ones stay until replayed or cancelled. @default 7d */
    retention: durationText((text) => parseDuration(text, 'retention'))
      .default('7d')
      .describe(
        'How long DELIVERED and CANCELLED deliveries stay queryable (e.g. 7d); DEAD ones stay until replayed or cancelled.',
      ),
    /** Milliseconds a worker holds a claimed delivery before another worker may take it over. @default 30000 */
    leaseMs: integer(1_000, 3_600_000)
      .default(30_000)
      .describe('Milliseconds a worker holds a claimed delivery before another worker may take it over.'),
    /** `redis` only: start even when Redis refuses `CONFIG GET maxmemory-policy` (managed Redis), because you made sure it is `noeviction`. @default false */
    redisAssumeNoEviction: flag
      .default(false)
      .describe(
        'redis queue only: start even when Redis does not allow CONFIG GET maxmemory-policy (managed Redis); set it only once you made sure the policy is noeviction. A policy Redis does report is still checked.',
      ),
    /** Milliseconds an idle worker waits before looking for due deliveries again. @default 250 */
    pollIntervalMs: integer(10, 60_000)
      .default(250)
      .describe('Milliseconds an idle worker waits before looking for due deliveries again.'),
  })
  .prefault({});
