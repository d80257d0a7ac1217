--! uses: limits entries counterlist
-- Writes a whole state into an empty budget: ARGV 4.. the counters (COUNTER_FIELDS, the alert counts included),
-- the entry count, entries (key, size, pinned) in LRU order, then the alerts (queued as they are, not counted again).
redis.call('DEL', CNT, ENT, LRU, PIN, ALERTS)
-- Every counter is written, whatever the budget held before.
loadCold()
loaded, loadedTotals = {}, false
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
