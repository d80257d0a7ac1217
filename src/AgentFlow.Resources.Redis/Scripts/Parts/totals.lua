-- The counters' 'totals' field: the nine counters almost every operation changes, packed as little-endian doubles
-- (TOTALS) so that a script reads and writes them in one field, without parsing text (BudgetTotals reads them in C#).
local TOTALS = '<ddddddddd'
local loadedTotals = redis.call('HGET', CNT, 'totals')

-- size, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock (all 0 before the first write).
local function unpackTotals()
  if not loadedTotals then return 0, 0, 0, 0, 0, 0, 0, 0, 0 end
  return struct.unpack(TOTALS, loadedTotals)
end
