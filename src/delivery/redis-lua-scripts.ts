// The Redis delivery queue's Lua scripts: each state change is one script, so it is atomic and all-or-nothing.
//
// Each script answers one JSON string (cjson): `n` holds the notices of the changes it committed (also
// published on the `updates` channel). An empty Lua table encodes as `{}`; the client reads it as [].
// `#!lua` without `allow-oom`: a writing script is refused as a whole when Redis is out of memory, instead of
// failing half-way; read-only scripts say `no-writes`.
import { LUA_LIBRARY } from './redis-lua-library.js';

const writing = (body: string) => `#!lua\n${LUA_LIBRARY}\n${body}`;
const reading = (body: string) => `#!lua flags=no-writes\n${LUA_LIBRARY}\n${body}`;

/**
 * ARGV[3] now, ARGV[4] JSON array of new deliveries (every value a string). One with `token` and
 * `leaseExpiresAt` is created IN_FLIGHT under that claim, in the lease index as CLAIM leaves it.
 */
const ENQUEUE = writing(`
local now = ARGV[3]
local out = {}
for i, item in ipairs(cjson.decode(ARGV[4])) do
  local h = rec(item.id)
  local existing = read(h)
  if existing then
    out[i] = { c = false, d = existing }
  else
    local seq = redis.call('INCR', base .. 'seq')
    local fields = { 'seq', seq, 'id', item.id, 'kind', item.kind, 'orderId', item.orderId,
      'target', item.target, 'upstreamKey', item.upstreamKey, 'payload', item.payload,
      'createdAt', now, 'attempts', item.attempts }
    for _, name in ipairs({ 'traceparent', 'clientId', 'lastFailure' }) do
      if item[name] then table.insert(fields, name); table.insert(fields, item[name]) end
    end
    redis.call('HSET', h, unpack(fields))
    redis.call('ZADD', base .. 'all', seq, item.id)
    redis.call('ZADD', base .. 'idx:target:' .. item.target, seq, item.id)
    redis.call('ZADD', base .. 'idx:order:' .. item.orderId, seq, item.id)
    redis.call('SADD', base .. 'targets', item.target)
    local t = read(h)
    if item.token then
      redis.call('HSET', h, 'nextAttemptAt', item.nextAttemptAt, 'token', item.token,
        'leaseExpiresAt', item.leaseExpiresAt)
      redis.call('ZADD', base .. 'lease:' .. item.target, item.leaseExpiresAt, item.id)
      setState(t, 'IN_FLIGHT', now)
    else
      enterQueue(t, item.nextAttemptAt)
      setState(t, 'QUEUED', now)
    end
    out[i] = { c = true, d = notice(item.id, nil) }
  end
end
return cjson.encode({ r = out, n = notices })
`);

/**
 * ARGV[3] target, [4] limit, [5] now, [6] token, [7] leaseExpiresAt, [8] the lease-expiry failure. Expired
 * leases first (each counts one attempt: its worker may have sent it before it stopped), then the claim.
 */
const CLAIM = writing(`
local target, limit, now, token, leaseEnds = ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6], ARGV[7]
local leases = base .. 'lease:' .. target
for _, id in ipairs(redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, 1000)) do
  local t = read(rec(id))
  leaveFlight(t)
  redis.call('HINCRBY', rec(id), 'attempts', 1)
  redis.call('HSET', rec(id), 'lastFailure', ARGV[8])
  if t.cancelRequested == '1' then
    redis.call('HDEL', rec(id), 'nextAttemptAt')
    setState(t, 'CANCELLED', now)
  else
    enterQueue(t, t.nextAttemptAt)
    setState(t, 'QUEUED', now)
  end
  notice(id, 'IN_FLIGHT')
end
local claimed = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', base .. 'due:' .. target, '-inf', now, 'LIMIT', 0, limit)) do
  local id = string.sub(member, 17)
  local t = read(rec(id))
  leaveQueue(t)
  redis.call('HSET', rec(id), 'token', token, 'leaseExpiresAt', leaseEnds)
  redis.call('ZADD', leases, leaseEnds, id)
  setState(t, 'IN_FLIGHT', now)
  table.insert(claimed, notice(id, 'QUEUED'))
end
return cjson.encode({ r = claimed, n = notices })
`);

/**
 * ARGV[3] action, [4] id, [5] token, [6] now, [7] and [8] the action's values:
 * extendLease(leaseExpiresAt), complete(result), retryLater(failure, at), postpone(at), kill(failure).
 */
const SETTLE = writing(`
local action, id, token, now, a, b = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local h = rec(id)
local t = read(h)
if not t then return cjson.encode({ o = 'not-found', n = notices }) end
if t.state ~= 'IN_FLIGHT' or t.token ~= token then return cjson.encode({ o = 'stale-claim', d = t, n = notices }) end
if action == 'extendLease' then
  redis.call('HSET', h, 'leaseExpiresAt', a)
  redis.call('ZADD', base .. 'lease:' .. t.target, a, id)
  return cjson.encode({ o = 'updated', d = read(h), n = notices })
end
leaveFlight(t)
local cancelled = t.cancelRequested == '1'
if action == 'complete' then
  redis.call('HINCRBY', h, 'attempts', 1)
  redis.call('HSET', h, 'result', a, 'deliveredAt', now)
  redis.call('HDEL', h, 'nextAttemptAt')
  setState(t, 'DELIVERED', now)
elseif action == 'kill' then
  redis.call('HINCRBY', h, 'attempts', 1)
  redis.call('HSET', h, 'lastFailure', a)
  redis.call('HDEL', h, 'nextAttemptAt')
  setState(t, cancelled and 'CANCELLED' or 'DEAD', now)
else
  local at = a
  if action == 'retryLater' then
    redis.call('HINCRBY', h, 'attempts', 1)
    redis.call('HSET', h, 'lastFailure', a)
    at = b
  end
  if cancelled then
    redis.call('HDEL', h, 'nextAttemptAt')
    setState(t, 'CANCELLED', now)
  else
    enterQueue(t, at)
    setState(t, 'QUEUED', now)
  end
end
return cjson.encode({ o = 'updated', d = notice(id, 'IN_FLIGHT'), n = notices })
`);

/** ARGV[3] action (replay | cancel), [4] id, [5] now. Answers the outcome, or `refused` with the state. */
const OPERATE = writing(`
local action, id, now = ARGV[3], ARGV[4], ARGV[5]
local h = rec(id)
local t = read(h)
if not t then return cjson.encode({ o = 'not-found', n = notices }) end
local s = t.state
if action == 'replay' then
  if s ~= 'DEAD' and s ~= 'CANCELLED' then return cjson.encode({ o = 'refused', d = t, n = notices }) end
  enterQueue(t, now)
  setState(t, 'QUEUED', now)
  return cjson.encode({ o = 'updated', d = notice(id, s), n = notices })
end
if s == 'QUEUED' or s == 'DEAD' then
  if s == 'QUEUED' then leaveQueue(t) end
  redis.call('HDEL', h, 'nextAttemptAt')
  setState(t, 'CANCELLED', now)
  return cjson.encode({ o = 'updated', d = notice(id, s), n = notices })
end
if s == 'IN_FLIGHT' then
  if t.cancelRequested == '1' then return cjson.encode({ o = 'cancel-requested', d = t, n = notices }) end
  redis.call('HSET', h, 'cancelRequested', '1')
  return cjson.encode({ o = 'cancel-requested', d = notice(id, s), n = notices })
end
return cjson.encode({ o = 'refused', d = t, n = notices })
`);

/** ARGV[3] before, [4] limit: removes DELIVERED and CANCELLED deliveries last changed before \`before\`. */
const PRUNE = writing(`
local ids = redis.call('ZRANGEBYSCORE', base .. 'done', '-inf', '(' .. ARGV[3], 'LIMIT', 0, tonumber(ARGV[4]))
for _, id in ipairs(ids) do
  local t = read(rec(id))
  redis.call('DEL', rec(id))
  redis.call('ZREM', base .. 'done', id)
  redis.call('ZREM', base .. 'all', id)
  redis.call('ZREM', base .. 'idx:state:' .. t.state, id)
  redis.call('ZREM', base .. 'idx:target:' .. t.target, id)
  redis.call('ZREM', base .. 'idx:order:' .. t.orderId, id)
  redis.call('HINCRBY', base .. 'counts:' .. t.target, t.state, -1)
end
return cjson.encode({ r = #ids, n = notices })
`);

/**
 * ARGV[3] index key (under the base), [4] after seq, [5] how many matches, [6] most index entries to
 * read, [7] filter JSON. Answers the matches, the last seq read and whether the index ran out.
 */
const LIST = reading(`
local after, want, budget, f = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), cjson.decode(ARGV[7])
local rows = redis.call('ZRANGEBYSCORE', base .. ARGV[3], '(' .. after, '+inf', 'WITHSCORES', 'LIMIT', 0, budget)
local found, last = {}, after
for i = 1, #rows, 2 do
  local t = read(rec(rows[i]))
  last = rows[i + 1]
  if t and (not f.state or t.state == f.state) and (not f.target or t.target == f.target)
    and (not f.orderId or t.orderId == f.orderId) and (not f.kind or t.kind == f.kind)
    and (not f.createdAfter or tonumber(t.createdAt) >= tonumber(f.createdAfter))
    and (not f.createdBefore or tonumber(t.createdAt) < tonumber(f.createdBefore)) then
    table.insert(found, t)
    if #found >= want then return cjson.encode({ r = found, last = last, done = false }) end
  end
end
return cjson.encode({ r = found, last = last, done = #rows < budget * 2 })
`);

/** ARGV[3] now: per target, the counts by state and the oldest due time (expired leases count as due). */
const STATS = reading(`
local now = tonumber(ARGV[3])
local out = {}
for _, target in ipairs(redis.call('SMEMBERS', base .. 'targets')) do
  local due = redis.call('ZRANGEBYSCORE', base .. 'due:' .. target, '-inf', ARGV[3], 'WITHSCORES', 'LIMIT', 0, 1)
  local oldest = due[2] and tonumber(due[2]) or nil
  -- Bounded: a thousand expired leases are plenty to find the oldest due time for a gauge.
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. 'lease:' .. target, '-inf', ARGV[3], 'LIMIT', 0, 1000)) do
    local at = tonumber(redis.call('HGET', rec(id), 'nextAttemptAt'))
    if at and (not oldest or at < oldest) then oldest = at end
  end
  table.insert(out, { t = target, c = redis.call('HGETALL', base .. 'counts:' .. target),
    due = oldest and string.format('%d', oldest) or false })
end
return cjson.encode({ r = out })
`);

/** ARGV[3] id. */
const GET = reading(`
return cjson.encode({ d = read(rec(ARGV[3])) or false })
`);

export const DELIVERY_SCRIPTS = {
  deliveryEnqueue: ENQUEUE,
  deliveryClaim: CLAIM,
  deliverySettle: SETTLE,
  deliveryOperate: OPERATE,
  deliveryPrune: PRUNE,
  deliveryList: LIST,
  deliveryStats: STATS,
  deliveryGet: GET,
} as const;

export type DeliveryScriptName = keyof typeof DELIVERY_SCRIPTS;
