--! uses: totals
-- Makes the key (ARGV 4) the most recently used of its list: a new stamp from the clock; reads no limits and no other
-- counters (the hot path of an access). An entry's pinned flag is the last character of its value.
local key = ARGV[4]
local value = redis.call('HGET', ENT, key)
if not value then return 0 end
local size, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = unpackTotals()
clock = clock + 1
redis.call('HSET', CNT, 'totals', struct.pack(TOTALS, size, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock))
redis.call('ZADD', string.byte(value, -1) == 49 and PIN or LRU, clock, key)
return 1
