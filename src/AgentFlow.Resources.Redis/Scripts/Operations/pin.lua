--! uses: totals
-- Pins (ARGV 5 '1') or unpins an entry (ARGV 4 key): it moves between lru and pinned with its stamp, its place in
-- LRU order. Written out in full, without the general rules' functions: it raises nothing and evicts nothing. An
-- entry's pinned flag is the last character of its value.
local key, flag = ARGV[4], ARGV[5] == '1' and '1' or '0'
local stored = redis.call('HGET', ENT, key)
-- An entry exists only in a budget that exists (a budget's keys are deleted together), so only a miss asks which.
if not stored then
  if not redis.call('HGET', META, 'limits') then return redis.error_reply(GONE) end
  return '0'
end
if string.sub(stored, -1) ~= flag then
  local from, to, sign = LRU, PIN, 1
  if flag == '0' then from, to, sign = PIN, LRU, -1 end
  local stamp = redis.call('ZSCORE', from, key)
  redis.call('ZREM', from, key)
  redis.call('ZADD', to, stamp, key)
  local charge = tonumber(string.match(stored, '^[^|]+|([^|]+)|'))
  local size, count, peak, pinSize, pinCount, tState, tEntries, tFail, clock = unpackTotals()
  redis.call('HSET', CNT, 'totals', struct.pack(TOTALS, size, count, peak, pinSize + sign * charge, pinCount + sign,
    tState, tEntries, tFail, clock))
  redis.call('HSET', ENT, key, string.sub(stored, 1, -2) .. flag)
end
return '1'
