// The Lua shared by every Redis delivery script: key names, record reads, state moves and change notices.
//
// Every script gets ARGV[1] = the key base (`<keyPrefix>{deliveries}:`, one hash slot) and ARGV[2] = the
// calling instance's id (so it can skip its own notices); KEYS[1] is the base's `seq` key, declared so a
// cluster routes the script to the slot every key shares. Values are stored as strings exactly as the
// client passed them (Lua numbers are doubles: no time or count is printed by Lua, only compared).
//
// Keys under the base:
//   d:<id>               HASH   one delivery (fields named as in Delivery, plus seq and token)
//   seq                  STRING insertion counter (the list cursor)
//   all                  ZSET   seq → id, every delivery
//   idx:state:<state>    ZSET   seq → id
//   idx:target:<target>  ZSET   seq → id
//   idx:order:<orderId>  ZSET   seq → id
//   due:<target>         ZSET   nextAttemptAt → <seq, 16 digits><id>, QUEUED only (ties go in enqueue order)
//   lease:<target>       ZSET   leaseExpiresAt → id, IN_FLIGHT only
//   done                 ZSET   updatedAt → id, DELIVERED and CANCELLED (what prune removes)
//   counts:<target>      HASH   state → count
//   targets              SET    every target that has deliveries
//   updates              (pub/sub channel) one JSON notice per committed change
export const LUA_LIBRARY = `
local base = ARGV[1]
local instance = ARGV[2]
local notices = {}

local function rec(id) return base .. 'd:' .. id end

local function read(h)
  local flat = redis.call('HGETALL', h)
  if #flat == 0 then return nil end
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end

local function dueMember(t) return string.format('%016d', tonumber(t.seq)) .. t.id end

-- Moves t (read before the change) to state 'to' at 'now', keeping counts and indexes in step.
local function setState(t, to, now)
  local counts = base .. 'counts:' .. t.target
  if t.state then
    redis.call('HINCRBY', counts, t.state, -1)
    redis.call('ZREM', base .. 'idx:state:' .. t.state, t.id)
  end
  redis.call('HINCRBY', counts, to, 1)
  redis.call('ZADD', base .. 'idx:state:' .. to, t.seq, t.id)
  if to == 'DELIVERED' or to == 'CANCELLED' then
    redis.call('ZADD', base .. 'done', now, t.id)
  else
    redis.call('ZREM', base .. 'done', t.id)
  end
  redis.call('HSET', rec(t.id), 'state', to, 'updatedAt', now)
end

local function enterQueue(t, at)
  redis.call('HSET', rec(t.id), 'nextAttemptAt', at)
  redis.call('ZADD', base .. 'due:' .. t.target, at, dueMember(t))
end

local function leaveQueue(t)
  redis.call('ZREM', base .. 'due:' .. t.target, dueMember(t))
end

local function leaveFlight(t)
  redis.call('ZREM', base .. 'lease:' .. t.target, t.id)
  redis.call('HDEL', rec(t.id), 'token', 'leaseExpiresAt', 'cancelRequested')
end

-- Records a committed change: published to every instance, and returned to the caller.
local function notice(id, previous)
  local entry = { p = previous or false, d = read(rec(id)) }
  table.insert(notices, entry)
  redis.call('PUBLISH', base .. 'updates', cjson.encode({ i = instance, p = entry.p, d = entry.d }))
  return entry.d
end
`;
