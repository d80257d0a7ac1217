--! uses: state
-- One entry: key -> 'size|charge|pinned' in the entries hash, and its recency stamp in lru or pinned.
local function getEntry(key)
  local v = redis.call('HGET', ENT, key)
  if not v then return nil end
  local s, ch, p = string.match(v, '^([^|]+)|([^|]+)|(%d)$')
  local size = tonumber(s)
  -- The charge is the size unless the value is streamed (equal strings are one interned string: a cheap test).
  return { size = size, text = s, charge = ch == s and size or tonumber(ch), pinned = (p == '1') }
end

-- The charge's text is the size's unless the value is streamed (formatting a number costs more than the rest).
local function chargeText(e) return e.charge == e.size and e.text or fmt(e.charge) end

local function putEntry(key, e)
  redis.call('HSET', ENT, key, e.text .. '|' .. chargeText(e) .. '|' .. (e.pinned and '1' or '0'))
end

-- The next recency stamp (the clock is one of the totals, shared with touch).
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
