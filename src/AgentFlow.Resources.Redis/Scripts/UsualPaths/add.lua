-- The usual allocation, settled before the general rules' functions are defined (Redis runs a script's top level on
-- every call, and defining them cost about a third of a replace): a value within the per-value limit, replacing no
-- streamed value, within the hard limits, reaching no threshold it has not reached before. Anything else falls
-- through, having changed nothing, to Operations/add.lua, whose rules decide these cases the same way.
do
  local key, text, pinArg = ARGV[4], ARGV[5], ARGV[6]
  limitsPacked = redis.call('HGET', META, 'limits')
  local size = tonumber(text)
  local maxState, maxValue, maxEntries, thrBytes, thrEntries, tgtBytes, tgtEntries, auto
  if limitsPacked then
    maxState, maxValue, maxEntries, thrBytes, thrEntries, tgtBytes, tgtEntries, auto = struct.unpack(LIMITS, limitsPacked)
  end
  local stored = limitsPacked and size <= maxValue and redis.call('HGET', ENT, key)
  local oldText, flag = nil, '0'
  if stored then oldText, flag = string.match(stored, '^([^|]+)|%1|(%d)$') end
  -- Not oldText: a streamed value (its charge differs from its size) is replaced by the general rules.
  if limitsPacked and size <= maxValue and (oldText or stored == false) then
    totalsPacked = redis.call('HGET', CNT, 'totals')
    local total, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = 0, 0, 0, 0, 0, 0, 0, 0, 0
    if totalsPacked then
      total, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = struct.unpack(TOTALS, totalsPacked)
    end
    local exists = stored ~= false
    local oldCharge = exists and tonumber(oldText) or 0
    local countAfter = count + (exists and 0 or 1)
    -- The same comparisons as the general rules, written the same way, so that doubles round alike.
    if not (size > maxState - (total - oldCharge)) and not (countAfter > maxEntries) then
      local sizeAfter = exists and (total + size - oldCharge) or (total + size)
      local stateAt, entriesAt = sizeAfter >= thrBytes, countAfter >= thrEntries
      if not (auto == 1 and (stateAt or entriesAt)) and not (stateAt and tState ~= 1)
        and not (entriesAt and tEntries ~= 1) then
        local pinned = flag == '1'
        if pinned then pinSize = pinSize + size - oldCharge end
        if pinArg == '1' and not pinned then
          -- Made most recently used, then pinned in that place.
          pinSize = pinSize + size
          pinCount = pinCount + 1
          pinned, flag = true, '1'
          if exists then redis.call('ZREM', LRU, key) end
        end
        clock = clock + 1
        redis.call('ZADD', pinned and PIN or LRU, clock, key)
        redis.call('HSET', ENT, key, text .. '|' .. text .. '|' .. flag)
        if sizeAfter > peak then peak = sizeAfter end
        if sizeAfter <= tgtBytes and countAfter <= tgtEntries then tFail = 0 end
        redis.call('HSET', CNT, 'totals', struct.pack(TOTALS, sizeAfter, countAfter, peak, pinSize, pinCount,
          stateAt and 1 or 0, entriesAt and 1 or 0, tFail, clock))
        return '1|' .. (exists and '1' or '0') .. '|0|' .. text .. '|' .. text .. '|' .. flag
      end
    end
  end
end
