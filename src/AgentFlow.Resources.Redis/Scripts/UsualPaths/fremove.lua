-- The usual counters-only deallocation, settled before the general rules' functions are defined: not streamed, and
-- taking neither total below zero. Anything else falls through, having changed nothing, to Operations/fremove.lua.
do
  limitsPacked = redis.call('HGET', META, 'limits')
  if limitsPacked then
    local _, maxValue, _, _, _, _, _, _, stream = struct.unpack(LIMITS, limitsPacked)
    local size = tonumber(ARGV[5])
    if not (stream == 1 and size > maxValue) then
      totalsPacked = redis.call('HGET', CNT, 'totals')
      local total, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = 0, 0, 0, 0, 0, 0, 0, 0, 0
      if totalsPacked then
        total, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = struct.unpack(TOTALS, totalsPacked)
      end
      if count >= 1 and total - size >= 0 then
        redis.call('HSET', CNT, 'totals', struct.pack(TOTALS, total - size, count - 1, peak, pinSize, pinCount, tState,
          tEntries, tFail, clock))
        return '1|' .. string.format('%.0f', size) .. '|0'
      end
    end
  end
end
