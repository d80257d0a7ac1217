--! uses: order counterlist heldlimits
-- The whole state in one atomic read: counters (the alert counts included), entries in LRU order, queued alerts; ARGV 4
-- is the id of the limits the caller will save with it.
local out = {}
for _, f in ipairs(COUNTER_FIELDS) do
  if f == 'strBytes' then
    out[#out + 1] = wideText(c.strBytes)
  else
    out[#out + 1] = fmt(c[f])
  end
end
local entries = oldestFirst(math.huge, true)
out[#out + 1] = tostring(#entries / 4)
for _, v in ipairs(entries) do out[#out + 1] = v end
for _, a in ipairs(redis.call('LRANGE', ALERTS, 0, -1)) do out[#out + 1] = a end
return out
