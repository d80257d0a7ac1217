-- The counters' 'totals' field: the nine counters almost every operation changes, packed as little-endian doubles
-- (TOTALS, in the prelude) so that a script reads and writes them in one field, without parsing text (BudgetTotals
-- reads them in C#).
if totalsPacked == nil then totalsPacked = redis.call('HGET', CNT, 'totals') end
local loadedTotals = totalsPacked

-- size, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock (all 0 before the first write).
local function unpackTotals()
  if not loadedTotals then return 0, 0, 0, 0, 0, 0, 0, 0, 0 end
  return struct.unpack(TOTALS, loadedTotals)
end
