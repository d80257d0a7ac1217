-- The usual removal, settled before the general rules' functions are defined: an entry that is not streamed, after
-- which no threshold is reached that was not reached before. Anything else falls through, having changed nothing, to
-- Operations/remove.lua.
do
  local key = ARGV[4]
  limitsPacked = redis.call('HGET', META, 'limits')
  if limitsPacked then
    local stored = redis.call('HGET', ENT, key)
    if not stored then return '0' end
    local text, flag = string.match(stored, '^([^|]+)|%1|(%d)$')
    if text then
      local _, _, _, thrBytes, thrEntries, tgtBytes, tgtEntries = struct.unpack(LIMITS, limitsPacked)
      totalsPacked = redis.call('HGET', CNT, 'totals')
      local total, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = 0, 0, 0, 0, 0, 0, 0, 0, 0
      if totalsPacked then
        total, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = struct.unpack(TOTALS, totalsPacked)
      end
      local charge = tonumber(text)
      local sizeAfter, countAfter = total - charge, count - 1
      local stateAt, entriesAt = sizeAfter >= thrBytes, countAfter >= thrEntries
      if not (stateAt and tState ~= 1) and not (entriesAt and tEntries ~= 1) then
        if flag == '1' then
          pinSize = pinSize - charge
          pinCount = pinCount - 1
          redis.call('ZREM', PIN, key)
        else
          redis.call('ZREM', LRU, key)
        end
        redis.call('HDEL', ENT, key)
        if sizeAfter <= tgtBytes and countAfter <= tgtEntries then tFail = 0 end
        redis.call('HSET', CNT, 'totals', struct.pack(TOTALS, sizeAfter, countAfter, peak, pinSize, pinCount,
          stateAt and 1 or 0, entriesAt and 1 or 0, tFail, clock))
        return '1|' .. text .. '|' .. text .. '|' .. flag
      end
    end
  end
end
