-- The usual counters-only allocation, settled before the general rules' functions are defined: not streamed, within
-- the hard limits, crossing no threshold. Anything else falls through, having changed nothing, to Operations/fadd.lua.
do
  limitsPacked = redis.call('HGET', META, 'limits')
  if limitsPacked then
    local maxState, maxValue, maxEntries, thrBytes, thrEntries = struct.unpack(LIMITS, limitsPacked)
    local size = tonumber(ARGV[5])
    if size <= maxValue then
      totalsPacked = redis.call('HGET', CNT, 'totals')
      local total, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = 0, 0, 0, 0, 0, 0, 0, 0, 0
      if totalsPacked then
        total, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = struct.unpack(TOTALS, totalsPacked)
      end
      local sizeAfter, countAfter = total + size, count + 1
      if not (size > maxState - total) and not (countAfter > maxEntries)
        and not (total < thrBytes and sizeAfter >= thrBytes) and not (count < thrEntries and countAfter >= thrEntries) then
        if sizeAfter > peak then peak = sizeAfter end
        redis.call('HSET', CNT, 'totals', struct.pack(TOTALS, sizeAfter, countAfter, peak, pinSize, pinCount, tState,
          tEntries, tFail, clock))
        return '1|0|0|' .. string.format('%.0f', size)
      end
    end
  end
end
