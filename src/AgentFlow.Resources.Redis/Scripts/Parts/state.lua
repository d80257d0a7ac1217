--! uses: numbers totals
-- The budget's limits and counters, read before the operation runs; the alerts it raises and the entries it evicts,
-- gathered for its reply. Redis runs this on every call, so it reads only what operations need every time: the
-- limits and the totals in one packed field each, the other counters on first use.

-- The limits as the rules use them: meta's 'limits' field, written by attach, eleven doubles (LIMITS).
local L
do
  if limitsPacked == nil then limitsPacked = redis.call('HGET', META, 'limits') end
  if not limitsPacked then return redis.error_reply(GONE) end
  local maxState, maxValue, maxEntries, thrBytes, thrEntries, tgtBytes, tgtEntries, auto, stream, chunk, maxAlerts =
    struct.unpack(LIMITS, limitsPacked)
  L = { maxState = maxState, maxValue = maxValue, maxEntries = maxEntries, thrBytes = thrBytes, thrEntries = thrEntries,
    tgtBytes = tgtBytes, tgtEntries = tgtEntries, auto = auto, stream = stream, chunk = chunk, maxAlerts = maxAlerts }
end

-- c: the counters as the operation changes them: the totals (totals part), written back with one HSET when one of
-- them changed, and the other counters, named fields all read at the first use of one of them and written back when
-- changed. StreamedBytes is kept exact as a wide number (numbers part), and compared as its text.
-- coldFields: the names of the other counters, listed only once one of them is read (most calls never do).
local coldFields = nil
local loaded = nil
local c
do
  local size, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = unpackTotals()
  c = { size = size, count = count, peak = peak, pinSize = pinSize, pinCount = pinCount, tState = tState,
    tEntries = tEntries, tFail = tFail, clock = clock }
end
local function loadCold()
  coldFields = { 'strCount', 'strBytes', 'evictions', 'evBytes', 'rejected', 'dropped', 'raisedA', 'raisedL', 'raisedT',
    'raisedF', 'raisedP' }
  local v = redis.call('HMGET', CNT, unpack(coldFields))
  loaded = {}
  for i, f in ipairs(coldFields) do
    if f == 'strBytes' then
      loaded[f] = v[i] or '0'
      rawset(c, f, wide(loaded[f]))
    else
      local n = tonumber(v[i]) or 0
      loaded[f] = n
      rawset(c, f, n)
    end
  end
  setmetatable(c, nil)
end
setmetatable(c, { __index = function(t, name)
  loadCold()
  return rawget(t, name)
end })

local raised = {}
local evictions = {}

local function raise(record) raised[#raised + 1] = now .. '|' .. record end

-- Queues the alerts raised (bounded: the oldest are dropped and counted), counts each by type, then writes back the
-- counters that changed.
local function save()
  if #raised > 0 then
    for _, a in ipairs(raised) do
      -- The count of alerts raised of each type (ResourceStats.AlertsRaised): 'raised' and the record's type letter.
      local f = 'raised' .. string.match(a, '^[^|]*|(%a)')
      c[f] = c[f] + 1
    end
    redis.call('RPUSH', ALERTS, unpack(raised))
    local over = redis.call('LLEN', ALERTS) - L.maxAlerts
    if over > 0 then
      redis.call('LTRIM', ALERTS, over, -1)
      c.dropped = c.dropped + over
    end
  end
  local totals = struct.pack(TOTALS, c.size, c.count, c.peak, c.pinSize, c.pinCount, c.tState, c.tEntries, c.tFail,
    c.clock)
  if not loaded then
    -- The usual case: only totals changed (Lua strings are interned, so comparing them is cheap).
    if totals ~= loadedTotals then redis.call('HSET', CNT, 'totals', totals) end
    return
  end
  local args = { 'totals', totals }
  for _, f in ipairs(coldFields) do
    local value = rawget(c, f)
    if f == 'strBytes' then
      value = wideText(value)
      if value ~= loaded.strBytes then args[#args + 1] = f; args[#args + 1] = value end
    elseif value ~= loaded[f] then
      args[#args + 1] = f
      args[#args + 1] = fmt(value)
    end
  end
  redis.call('HSET', CNT, unpack(args))
end

-- The reply: the operation's own fields, then the evictions (key, size, charge, reason), then the alerts raised; with
-- no evictions and no alerts, the fields alone in one string (Reply reads both).
local function reply(fields)
  if #evictions == 0 and #raised == 0 then
    -- The usual case: the fields joined by '|' in one string (no field holds a key), which costs Redis and the client
    -- far less than a list of them.
    return table.concat(fields, '|')
  end
  local out = { tostring(#fields), tostring(#evictions), unpack(fields) }
  for _, e in ipairs(evictions) do
    out[#out + 1] = e[1]; out[#out + 1] = e[2]; out[#out + 1] = fmt(e[3]); out[#out + 1] = e[4]
  end
  for _, a in ipairs(raised) do out[#out + 1] = a end
  return out
end
