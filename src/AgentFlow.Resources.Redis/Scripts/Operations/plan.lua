--! uses: entries heldlimits
-- What a cleanup to ARGV 4 bytes would evict (ARGV 5: the id of the limits the caller computed it from), evicting
-- nothing: the totals, then key, size, charge of each.
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
    out[#out + 1] = key; out[#out + 1] = e.text; out[#out + 1] = chargeText(e)
    remaining = remaining - e.charge
  end
  skipped = skipped + #batch
end
return out
