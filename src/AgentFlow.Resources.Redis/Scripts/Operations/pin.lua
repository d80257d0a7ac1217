--! uses: entries
-- Pins (ARGV 5 '1') or unpins an entry (ARGV 4 key): it moves between lru and pinned with its stamp, its place in
-- LRU order.
local key, pin = ARGV[4], ARGV[5] == '1'
local e = getEntry(key)
if not e then return reply({ '0' }) end
if pin ~= e.pinned then
  local from, to = LRU, PIN
  if not pin then from, to = PIN, LRU end
  local stamp = redis.call('ZSCORE', from, key)
  redis.call('ZREM', from, key)
  redis.call('ZADD', to, stamp, key)
  local sign = pin and 1 or -1
  c.pinSize = c.pinSize + sign * e.charge
  c.pinCount = c.pinCount + sign
  e.pinned = pin
  putEntry(key, e)
  save()
end
return reply({ '1' })
