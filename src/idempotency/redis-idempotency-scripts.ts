// The Lua scripts that make Redis idempotency records atomic across gateway instances, and their replies parsed.
//
// One hash per key: state, fingerprint, owner, leaseExpiresAt, payload (JSON). Each script reads and
// writes the hash in one step, so two instances can never both claim a key. Lease times come from
// redis.call('TIME') inside the scripts, so only the Redis clock matters, never an instance's clock;
// scripts are replicated by effects (the default since Redis 5), so TIME is safe in a writing script.
// The hash's PEXPIRE is the payload TTL in every state (at least the lease, so a lease never outlives its record).
import { createHash } from 'node:crypto';
import type { IdempotencyClaim, IdempotencyRecord } from './idempotency-store.js';

/** A Lua script and its SHA1, for EVALSHA. */
export interface RedisScript {
  readonly lua: string;
  readonly sha: string;
}

const NOW_MS = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/** KEYS[1] record; ARGV fingerprint, owner, leaseMs, ttlMs. Replies {outcome, payload or ''}. */
export const CLAIM_SCRIPT = script(`${NOW_MS}
local state, fingerprint, leaseExpiresAt, payload =
  unpack(redis.call('HMGET', KEYS[1], 'state', 'fingerprint', 'leaseExpiresAt', 'payload'))
if state then
  if fingerprint ~= ARGV[1] then return {'reused', ''} end
  if state == 'completed' then return {'completed', payload or ''} end
  if state == 'pending' and tonumber(leaseExpiresAt) > now then return {'in-progress', ''} end
end
local leaseMs, ttlMs = tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'state', 'pending', 'fingerprint', ARGV[1], 'owner', ARGV[2],
  'leaseExpiresAt', string.format('%d', now + leaseMs))
redis.call('PEXPIRE', KEYS[1], math.max(ttlMs, leaseMs))
return {'claimed', payload or ''}`);

/** KEYS[1] record. A plain read (no writes). Replies nil or {state, fingerprint, leaseExpiresAt, leaseExpired, payload or ''}. */
export const READ_SCRIPT = script(`${NOW_MS}
local state, fingerprint, leaseExpiresAt, payload =
  unpack(redis.call('HMGET', KEYS[1], 'state', 'fingerprint', 'leaseExpiresAt', 'payload'))
if not state then return false end
if state == 'pending' then
  local lease = tonumber(leaseExpiresAt)
  return {state, fingerprint, lease, lease <= now and 1 or 0, ''}
end
return {state, fingerprint, 0, 0, payload or ''}`);

/**
 * KEYS[1] record; ARGV fingerprint, owner, state, payload ('' keeps the stored one), ttlMs. Replies 1 when written.
 * Never replaces a completed record or another fingerprint's; a retryable outcome never ends another owner's lease.
 */
export const FINISH_SCRIPT = script(`local state, fingerprint, owner =
  unpack(redis.call('HMGET', KEYS[1], 'state', 'fingerprint', 'owner'))
if state then
  if fingerprint ~= ARGV[1] or state == 'completed' then return 0 end
  if state == 'pending' and owner ~= ARGV[2] and ARGV[3] ~= 'completed' then return 0 end
end
redis.call('HDEL', KEYS[1], 'owner', 'leaseExpiresAt')
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'fingerprint', ARGV[1])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'payload', ARGV[4]) end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`);

/** Parses the claim script's reply. */
export function parseClaimReply(reply: unknown): IdempotencyClaim {
  const [outcome = '', payload = ''] = strings(reply, 2);
  switch (outcome) {
    case 'claimed':
      return { outcome, previous: parsePayload(payload) };
    case 'completed':
      return { outcome, payload: parsePayload(payload) };
    case 'in-progress':
    case 'reused':
      return { outcome };
    default:
      throw new Error(`unexpected claim reply from Redis: ${outcome}`);
  }
}

/** Parses the read script's reply. */
export function parseReadReply(reply: unknown): IdempotencyRecord | undefined {
  if (reply === null) return undefined;
  const [state = '', fingerprint = '', leaseExpiresAt = '', leaseExpired = '', payload = ''] = strings(
    reply,
    5,
  );
  switch (state) {
    case 'pending':
      return {
        state,
        fingerprint,
        leaseExpiresAt: Number(leaseExpiresAt),
        leaseExpired: leaseExpired === '1',
      };
    case 'retryable':
    case 'completed':
      return { state, fingerprint, payload: parsePayload(payload) };
    default:
      throw new Error(`unexpected record state in Redis: ${state}`);
  }
}

function parsePayload(json: string): unknown {
  return json === '' ? undefined : JSON.parse(json);
}

function strings(reply: unknown, length: number): string[] {
  if (!Array.isArray(reply) || reply.length !== length) throw new Error('unexpected script reply from Redis');
  return reply.map(String);
}

function script(lua: string): RedisScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}
