--! uses: entries
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
      out[#out + 1] = e.text; out[#out + 1] = chargeText(e); out[#out + 1] = e.pinned and '1' or '0'
    end
    n = n + 1
  end
  return out
end
