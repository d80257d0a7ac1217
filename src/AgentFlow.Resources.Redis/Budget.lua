-- One shared budget's operations: the rules of docs/design/behaviour.md, run by Redis as one atomic script per
-- operation (docs/design/redis-store.md). Ported from MemoryStore (detailed) and CountingStore (counters).
-- KEYS: 1 meta, 2 counters, 3 entries, 4 lru (unpinned, by recency stamp), 5 pinned (by stamp), 6 alerts.
-- ARGV: 1 operation, 2 the caller's time (UTC ticks, kept as text), 3 the caller's deadline in the server's clock
-- (microseconds; 0 for none), then the operation's arguments.
-- Numbers are Lua doubles: exact for every integer up to 2^53 bytes. They leave the script as text ('%.0f').
local META, CNT, ENT, LRU, PIN, ALERTS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local op, now, deadline = ARGV[1], ARGV[2], tonumber(ARGV[3])

local LIMIT_FIELDS = { 'maxState', 'maxValue', 'maxEntries', 'thrBytes', 'thrEntries', 'tgtBytes', 'tgtEntries',
  'auto', 'stream', 'chunk', 'maxAlerts', 'fast' }
local COUNTER_FIELDS = { 'size', 'count', 'peak', 'pinSize', 'pinCount', 'strCount', 'strBytes', 'evictions',
  'evBytes', 'rejected', 'dropped', 'tState', 'tEntries', 'tFail', 'clock', 'raisedA', 'raisedL', 'raisedT', 'raisedF',
  'raisedP' }
-- The count of alerts raised of each type (ResourceStats.AlertsRaised), by the record's type letter.
local RAISED_FIELD = { A = 'raisedA', L = 'raisedL', T = 'raisedT', F = 'raisedF', P = 'raisedP' }

local function fmt(x) return string.format('%.0f', x) end

-- StreamedBytes sums full sizes, which may go past 2^53 (and past long.MaxValue) where doubles lose bytes: it is
-- kept exact as two parts in base 10^9 ({high, low}), built from the sizes' exact decimal text.
local BASE = 1000000000
local function wide(text)
  local n = #text
  if n <= 9 then return { 0, tonumber(text) } end
  return { tonumber(string.sub(text, 1, n - 9)), tonumber(string.sub(text, n - 8)) }
end
local function wideAdd(w, text, sign)
  local d = wide(text)
  local low = w[2] + sign * d[2]
  local high = w[1] + sign * d[1]
  if low >= BASE then low = low - BASE; high = high + 1 end
  if low < 0 then low = low + BASE; high = high - 1 end
  w[1], w[2] = high, low
end
local function wideText(w)
  if w[1] == 0 then return fmt(w[2]) end
  return fmt(w[1]) .. string.format('%09d', w[2])
end
local function wideBelow(w, text)
  local d = wide(text)
  return w[1] < d[1] or (w[1] == d[1] and w[2] < d[2])
end

local L = nil
local c = nil
local raised = {}
local evictions = {}

local function loadLimits()
  local v = redis.call('HMGET', META, unpack(LIMIT_FIELDS))
  if not v[1] then return false end
  L = {}
  for i, f in ipairs(LIMIT_FIELDS) do L[f] = tonumber(v[i]) end
  return true
end

local function loadCounters()
  local v = redis.call('HMGET', CNT, unpack(COUNTER_FIELDS))
  c = {}
  for i, f in ipairs(COUNTER_FIELDS) do c[f] = tonumber(v[i]) or 0 end
  c.strBytes = wide(v[7] or '0')
end

local function raise(record) raised[#raised + 1] = now .. '|' .. record end

-- Queues the alerts raised (bounded: the oldest are dropped and counted), counts each by type, then writes every
-- counter back.
local function save()
  if #raised > 0 then
    for _, a in ipairs(raised) do
      local f = RAISED_FIELD[string.match(a, '^[^|]*|(%a)')]
      c[f] = c[f] + 1
    end
    redis.call('RPUSH', ALERTS, unpack(raised))
    local over = redis.call('LLEN', ALERTS) - L.maxAlerts
    if over > 0 then
      redis.call('LTRIM', ALERTS, over, -1)
      c.dropped = c.dropped + over
    end
  end
  local args = {}
  for _, f in ipairs(COUNTER_FIELDS) do
    args[#args + 1] = f
    args[#args + 1] = f == 'strBytes' and wideText(c.strBytes) or fmt(c[f])
  end
  redis.call('HSET', CNT, unpack(args))
end

-- The reply: the operation's own fields, then the evictions (key, size, charge, reason), then the alerts raised.
local function reply(fields)
  local out = { tostring(#fields), tostring(#evictions) }
  for _, v in ipairs(fields) do out[#out + 1] = v end
  for _, e in ipairs(evictions) do
    out[#out + 1] = e[1]; out[#out + 1] = e[2]; out[#out + 1] = fmt(e[3]); out[#out + 1] = e[4]
  end
  for _, a in ipairs(raised) do out[#out + 1] = a end
  return out
end

local function isStreamed(size) return L.stream == 1 and size > L.maxValue end

local function resident(size)
  if isStreamed(size) and size > L.chunk then return L.chunk end
  return size
end

local function getEntry(key)
  local v = redis.call('HGET', ENT, key)
  if not v then return nil end
  local s, ch, p = string.match(v, '^([^|]+)|([^|]+)|(%d)$')
  return { size = tonumber(s), text = s, charge = tonumber(ch), pinned = (p == '1') }
end

local function putEntry(key, e)
  redis.call('HSET', ENT, key, e.text .. '|' .. fmt(e.charge) .. '|' .. (e.pinned and '1' or '0'))
end

local function nextStamp()
  c.clock = c.clock + 1
  return c.clock
end

local function dropEntry(key, e)
  if e.pinned then
    c.pinSize = c.pinSize - e.charge
    c.pinCount = c.pinCount - 1
    redis.call('ZREM', PIN, key)
  else
    redis.call('ZREM', LRU, key)
  end
  if e.charge < e.size then
    c.strCount = c.strCount - 1
    wideAdd(c.strBytes, e.text, -1)
  end
  c.size = c.size - e.charge
  c.count = c.count - 1
  redis.call('HDEL', ENT, key)
end

-- Evicts least recently used unpinned entries, never 'protected', while either total is above its bound.
local function evictWhile(reason, protected, maxBytes, maxCount)
  local n, freed, skipped = 0, 0, 0
  while c.size > maxBytes or c.count > maxCount do
    local batch = redis.call('ZRANGE', LRU, skipped, skipped + 63)
    if #batch == 0 then break end
    for _, key in ipairs(batch) do
      if not (c.size > maxBytes or c.count > maxCount) then break end
      if key == protected then
        skipped = skipped + 1
      else
        local e = getEntry(key)
        dropEntry(key, e)
        c.evictions = c.evictions + 1
        c.evBytes = c.evBytes + e.charge
        evictions[#evictions + 1] = { key, e.text, e.charge, reason }
        n = n + 1
        freed = freed + e.charge
      end
    end
  end
  return n, freed
end

-- The automatic cleanup after usage reached the threshold: down to the target when the pins allow it; when they
-- keep the target out of reach, only until usage is just below the threshold, and not at all when even that cannot
-- be reached (evicting more would only thrash: every insert would evict again).
local function cleanUpAfterThreshold(key, recorded)
  if c.pinSize <= L.tgtBytes and c.pinCount <= L.tgtEntries then
    return evictWhile('T', key, L.tgtBytes, L.tgtEntries)
  end
  local keptBytes, keptCount = c.pinSize, c.pinCount
  if not recorded.pinned then
    keptBytes = keptBytes + recorded.charge
    keptCount = keptCount + 1
  end
  if keptBytes < L.thrBytes and keptCount < L.thrEntries then
    return evictWhile('T', key, L.thrBytes - 1, L.thrEntries - 1)
  end
  return 0, 0
end

-- ApproachingLimit when usage crosses a threshold upwards; re-armed once it is below again.
local function watchThresholds()
  local stateAt = c.size >= L.thrBytes
  if stateAt and c.tState ~= 1 then raise('A|S|' .. fmt(c.size) .. '|' .. fmt(L.maxState)) end
  local entriesAt = c.count >= L.thrEntries
  if entriesAt and c.tEntries ~= 1 then raise('A|E|' .. fmt(c.count) .. '|' .. fmt(L.maxEntries)) end
  c.tState = stateAt and 1 or 0
  c.tEntries = entriesAt and 1 or 0
  if c.size <= L.tgtBytes and c.count <= L.tgtEntries then c.tFail = 0 end
end

-- CleanupFailed once per stretch in which automatic cleanup is held above its target (the entry just recorded,
-- which is never evicted, does not count).
local function watchAutomaticCleanup(recorded)
  local size, count = c.size, c.count
  if not recorded.pinned then
    size = size - recorded.charge
    count = count - 1
  end
  local reached = size <= L.tgtBytes and count <= L.tgtEntries
  if not reached and c.tFail ~= 1 then
    raise('F|U|' .. fmt(c.size) .. '|' .. fmt(c.count) .. '|' .. fmt(L.tgtBytes) .. '|' .. fmt(L.tgtEntries) .. '|'
      .. fmt(c.pinSize) .. '|' .. fmt(c.pinCount))
  end
  c.tFail = reached and 0 or 1
end

local function reject(key, resource, attempted, limit)
  c.rejected = c.rejected + 1
  raise('L|' .. resource .. '|' .. fmt(attempted) .. '|' .. fmt(limit) .. '|' .. key)
  save()
  return reply({ '0', resource, fmt(attempted), fmt(limit) })
end

local ops = {}

function ops.add()
  local key, text, pin = ARGV[4], ARGV[5], ARGV[6] == '1'
  local size = tonumber(text)
  local e = getEntry(key)
  local exists = e ~= nil
  local oldCharge = exists and e.charge or 0
  local keyPinned = exists and e.pinned
  local streamed = isStreamed(size)
  local charge = resident(size)
  if size > L.maxValue and not streamed then return reject(key, 'V', size, L.maxValue) end

  local sizeWithoutKey = c.size - oldCharge
  local overState = charge > L.maxState - sizeWithoutKey
  local countAfter = c.count + (exists and 0 or 1)
  local evictTo = nil
  if overState or countAfter > L.maxEntries then
    local resource = overState and 'S' or 'E'
    local attempted = overState and (sizeWithoutKey + charge) or countAfter
    local limit = overState and L.maxState or L.maxEntries
    if L.auto ~= 1 then return reject(key, resource, attempted, limit) end
    -- No cleanup evicts pinned entries other than the key itself, so they and the value always stay.
    local keptBytes = c.pinSize - (keyPinned and oldCharge or 0)
    local keptCount = c.pinCount - (keyPinned and 1 or 0) + 1
    if charge > L.maxState - keptBytes or keptCount > L.maxEntries then
      raise('F|A|' .. fmt(keptBytes + charge) .. '|' .. fmt(keptCount) .. '|' .. fmt(L.maxState) .. '|'
        .. fmt(L.maxEntries) .. '|' .. fmt(c.pinSize) .. '|' .. fmt(c.pinCount) .. '|' .. key)
      return reject(key, resource, attempted, limit)
    end
    evictTo = { L.maxState - charge + oldCharge, L.maxEntries - (exists and 0 or 1) }
  end

  local evicted, freed = 0, 0
  if evictTo then
    evicted, freed = evictWhile('A', exists and key or nil, evictTo[1], evictTo[2])
  end

  local stamp = nextStamp()
  if exists then
    if e.charge < e.size then
      c.strCount = c.strCount - 1
      wideAdd(c.strBytes, e.text, -1)
    end
    if e.pinned then c.pinSize = c.pinSize + charge - oldCharge end
    c.size = c.size + charge - oldCharge
    e.size, e.text, e.charge = size, text, charge
    if pin and not e.pinned then
      -- Made most recently used, then pinned in that place.
      c.pinSize = c.pinSize + charge
      c.pinCount = c.pinCount + 1
      e.pinned = true
      redis.call('ZREM', LRU, key)
    end
  else
    e = { size = size, text = text, charge = charge, pinned = pin }
    c.size = c.size + charge
    c.count = c.count + 1
    if pin then
      c.pinSize = c.pinSize + charge
      c.pinCount = c.pinCount + 1
    end
  end
  redis.call('ZADD', e.pinned and PIN or LRU, stamp, key)
  putEntry(key, e)

  if streamed then
    c.strCount = c.strCount + 1
    wideAdd(c.strBytes, text, 1)
  end
  if c.size > c.peak then c.peak = c.size end

  local thresholdCleanup = L.auto == 1 and (c.size >= L.thrBytes or c.count >= L.thrEntries)
  if thresholdCleanup then
    local n, f = cleanUpAfterThreshold(key, e)
    evicted, freed = evicted + n, freed + f
  end
  if evicted > 0 then raise('T|' .. fmt(freed) .. '|' .. fmt(evicted) .. '|1') end
  if thresholdCleanup then watchAutomaticCleanup(e) end
  watchThresholds()
  save()
  return reply({ '1', exists and '1' or '0', streamed and '1' or '0', fmt(charge), e.text, e.pinned and '1' or '0' })
end

function ops.remove()
  local key = ARGV[4]
  local e = getEntry(key)
  if not e then return reply({ '0' }) end
  dropEntry(key, e)
  watchThresholds()
  save()
  return reply({ '1', e.text, fmt(e.charge), e.pinned and '1' or '0' })
end

function ops.pin()
  local key, pin = ARGV[4], ARGV[5] == '1'
  local e = getEntry(key)
  if not e then return reply({ '0' }) end
  if pin ~= e.pinned then
    local from, to = LRU, PIN
    if not pin then from, to = PIN, LRU end
    local stamp = redis.call('ZSCORE', from, key)
    redis.call('ZREM', from, key)
    redis.call('ZADD', to, stamp, key)
    local sign = pin and 1 or -1
    c.pinSize = c.pinSize + sign * e.charge
    c.pinCount = c.pinCount + sign
    e.pinned = pin
    putEntry(key, e)
    save()
  end
  return reply({ '1' })
end

function ops.cleanup()
  local targetBytes, targetText = tonumber(ARGV[4]), ARGV[5]
  local before = c.size
  local evicted, freed = evictWhile('M', nil, targetBytes, math.huge)
  if evicted > 0 then raise('T|' .. fmt(freed) .. '|' .. fmt(evicted) .. '|0') end
  if c.size > targetBytes then
    raise('F|M|' .. fmt(targetBytes) .. '|' .. fmt(c.size) .. '|' .. fmt(c.pinSize) .. '|' .. fmt(c.pinCount) .. '|' .. targetText)
  end
  watchThresholds()
  save()
  return reply({ fmt(before), fmt(freed), fmt(c.pinSize), fmt(c.pinCount) })
end

-- Counters only: admission against the hard limits, no per-key data; ApproachingLimit on the upward crossing.
function ops.fadd()
  local key, text = ARGV[4], ARGV[5]
  local size = tonumber(text)
  local streamed = isStreamed(size)
  local charge = resident(size)
  if size > L.maxValue and not streamed then return reject(key, 'V', size, L.maxValue) end
  if charge > L.maxState - c.size then return reject(key, 'S', c.size + charge, L.maxState) end
  if c.count + 1 > L.maxEntries then return reject(key, 'E', c.count + 1, L.maxEntries) end
  local sizeBefore, countBefore = c.size, c.count
  c.size = c.size + charge
  c.count = c.count + 1
  if streamed then
    c.strCount = c.strCount + 1
    wideAdd(c.strBytes, text, 1)
  end
  if c.size > c.peak then c.peak = c.size end
  if sizeBefore < L.thrBytes and c.size >= L.thrBytes then raise('A|S|' .. fmt(c.size) .. '|' .. fmt(L.maxState)) end
  if countBefore < L.thrEntries and c.count >= L.thrEntries then raise('A|E|' .. fmt(c.count) .. '|' .. fmt(L.maxEntries)) end
  save()
  return reply({ '1', '0', streamed and '1' or '0', fmt(charge) })
end

-- Counters only: a deallocation that would take a total below zero changes nothing (the reply says which).
function ops.fremove()
  local text = ARGV[5]
  local size = tonumber(text)
  local streamed = isStreamed(size)
  local charge = resident(size)
  if streamed and c.strCount < 1 then return reply({ '0', 'streamedCount', '0' }) end
  if streamed and wideBelow(c.strBytes, text) then return reply({ '0', 'streamedBytes', wideText(c.strBytes) }) end
  if c.count < 1 then return reply({ '0', 'count', '0' }) end
  if c.size - charge < 0 then return reply({ '0', 'size', fmt(c.size) }) end
  if streamed then
    c.strCount = c.strCount - 1
    wideAdd(c.strBytes, text, -1)
  end
  c.count = c.count - 1
  c.size = c.size - charge
  save()
  return reply({ '1', fmt(charge), streamed and '1' or '0' })
end

function ops.fcleanup()
  raise('F|X')
  save()
  return reply({})
end

-- Queues an alert the monitor raised itself (PredictedExhaustion), ARGV 4 its whole record, time included.
function ops.publish()
  local record = ARGV[4]
  if not RAISED_FIELD[string.match(record, '^[^|]*|(%a)') or ''] then
    return redis.error_reply('AGENTFLOW not an alert record: ' .. record)
  end
  raised[#raised + 1] = record
  save()
  return {}
end

function ops.drain()
  local wanted = ARGV[4]
  local all = redis.call('LRANGE', ALERTS, 0, -1)
  local taken, kept = {}, {}
  for _, a in ipairs(all) do
    local t = string.match(a, '^[^|]*|(%a)')
    if wanted == '' or string.find(wanted, t, 1, true) then taken[#taken + 1] = a else kept[#kept + 1] = a end
  end
  if #taken > 0 then
    redis.call('DEL', ALERTS)
    if #kept > 0 then redis.call('RPUSH', ALERTS, unpack(kept)) end
  end
  return taken
end

-- Both recency lists merged, least recently used first: key, size, charge, pinned (sizes only when asked).
local function oldestFirst(count, withSizes)
  if count <= 0 then return {} end
  local stop = -1
  if count ~= math.huge then stop = count - 1 end
  local a = redis.call('ZRANGE', LRU, 0, stop, 'WITHSCORES')
  local b = redis.call('ZRANGE', PIN, 0, stop, 'WITHSCORES')
  local out, i, j, n = {}, 1, 1, 0
  while n < count and (i <= #a or j <= #b) do
    local key
    if j > #b or (i <= #a and tonumber(a[i + 1]) < tonumber(b[j + 1])) then
      key = a[i]; i = i + 2
    else
      key = b[j]; j = j + 2
    end
    out[#out + 1] = key
    if withSizes then
      local e = getEntry(key)
      out[#out + 1] = e.text; out[#out + 1] = fmt(e.charge); out[#out + 1] = e.pinned and '1' or '0'
    end
    n = n + 1
  end
  return out
end

function ops.keys()
  return oldestFirst(tonumber(ARGV[4]), false)
end

function ops.entries()
  return oldestFirst(math.huge, true)
end

function ops.plan()
  local targetBytes = tonumber(ARGV[4])
  local remaining = c.size
  local out = { fmt(c.size), fmt(c.pinSize), fmt(c.pinCount) }
  local skipped = 0
  while remaining > targetBytes do
    local batch = redis.call('ZRANGE', LRU, skipped, skipped + 63)
    if #batch == 0 then break end
    for _, key in ipairs(batch) do
      if remaining <= targetBytes then break end
      local e = getEntry(key)
      out[#out + 1] = key; out[#out + 1] = e.text; out[#out + 1] = fmt(e.charge)
      remaining = remaining - e.charge
    end
    skipped = skipped + #batch
  end
  return out
end

-- The whole state in one atomic read: counters (the alert counts included), entries in LRU order, queued alerts.
function ops.export()
  local out = {}
  for _, f in ipairs(COUNTER_FIELDS) do out[#out + 1] = f == 'strBytes' and wideText(c.strBytes) or fmt(c[f]) end
  local entries = oldestFirst(math.huge, true)
  out[#out + 1] = tostring(#entries / 4)
  for _, v in ipairs(entries) do out[#out + 1] = v end
  for _, a in ipairs(redis.call('LRANGE', ALERTS, 0, -1)) do out[#out + 1] = a end
  return out
end

function ops.reset()
  redis.call('DEL', CNT, ENT, LRU, PIN, ALERTS)
  return {}
end

-- Writes a whole state into an empty budget: ARGV 4.. the counters (COUNTER_FIELDS, the alert counts included),
-- the entry count, entries (key, size, pinned) in LRU order, then the alerts (queued as they are, not counted again).
function ops.restore()
  redis.call('DEL', CNT, ENT, LRU, PIN, ALERTS)
  loadCounters()
  local i = 4
  for _, f in ipairs(COUNTER_FIELDS) do
    c[f] = tonumber(ARGV[i]); i = i + 1
  end
  c.strBytes = wide(ARGV[10])
  local n = tonumber(ARGV[i]); i = i + 1
  if n > 0 then c.strBytes = wide('0') end
  for k = 1, n do
    local key, text, pinned = ARGV[i], ARGV[i + 1], ARGV[i + 2] == '1'
    i = i + 3
    local size = tonumber(text)
    local e = { size = size, text = text, charge = resident(size), pinned = pinned }
    putEntry(key, e)
    redis.call('ZADD', pinned and PIN or LRU, k, key)
    -- Exact even where the exported total was saturated: the sum of the entries' own sizes.
    if isStreamed(size) then wideAdd(c.strBytes, text, 1) end
  end
  c.clock = n
  local alerts = {}
  for k = i, #ARGV do alerts[#alerts + 1] = ARGV[k] end
  if #alerts > 0 then redis.call('RPUSH', ALERTS, unpack(alerts)) end
  save()
  return {}
end

-- Creates the budget when it does not exist (ARGV 5.. field, value pairs of the meta hash), else leaves it; with
-- 'force' (ARGV 4 = '1') overwrites the stored limits. Replies with the stored meta hash.
function ops.attach()
  local force = ARGV[4] == '1'
  local exists = redis.call('EXISTS', META) == 1
  if not exists or force then
    local args = {}
    for k = 5, #ARGV do args[#args + 1] = ARGV[k] end
    redis.call('HSET', META, unpack(args))
  end
  local out = redis.call('HGETALL', META)
  out[#out + 1] = 'created'
  out[#out + 1] = exists and '0' or '1'
  return out
end

-- Makes the key the most recently used of its list; reads no limits or counters (the hot path of an access).
function ops.touch()
  local key = ARGV[4]
  local e = getEntry(key)
  if not e then return 0 end
  redis.call('ZADD', e.pinned and PIN or LRU, redis.call('HINCRBY', CNT, 'clock', 1), key)
  return 1
end

local fn = ops[op]
if not fn then return redis.error_reply('AGENTFLOW unknown operation ' .. tostring(op)) end
-- A call that reaches the server after its caller gave up (a stopped or overloaded server) changes nothing: the
-- caller has already reported it as failed.
if deadline > 0 then
  local t = redis.call('TIME')
  if tonumber(t[1]) * 1000000 + tonumber(t[2]) > deadline then
    return redis.error_reply('AGENTFLOW_EXPIRED the call reached the server after its timeout; nothing was changed')
  end
end
if op ~= 'attach' and op ~= 'touch' then
  if not loadLimits() then return redis.error_reply('AGENTFLOW_GONE the shared budget no longer exists') end
  loadCounters()
end
return fn()
