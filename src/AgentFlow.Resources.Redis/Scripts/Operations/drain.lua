--! uses: state
-- Takes the queued alerts of the types given (ARGV 4: their letters; empty for all) and keeps the others in order.
local wanted = ARGV[4]
local all = redis.call('LRANGE', ALERTS, 0, -1)
local taken, kept = {}, {}
for _, a in ipairs(all) do
  local t = string.match(a, '^[^|]*|(%a)')
  if wanted == '' or string.find(wanted, t, 1, true) then taken[#taken + 1] = a else kept[#kept + 1] = a end
end
if #taken > 0 then
  redis.call('DEL', ALERTS)
  if #kept > 0 then redis.call('RPUSH', ALERTS, unpack(kept)) end
end
return taken
