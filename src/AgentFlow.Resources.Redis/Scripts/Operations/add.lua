--! uses: limits eviction thresholds
-- Records an allocation (ARGV 4 key, 5 size as exact text, 6 '1' to pin): the admission rule, replace, the streaming
-- charge, evictions for admission and for the threshold cleanup, triggers and alerts (as MemoryStore).
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
return reply({ '1', exists and '1' or '0', streamed and '1' or '0', chargeText(e), e.text, e.pinned and '1' or '0' })
