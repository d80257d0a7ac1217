--! uses:
-- Creates the budget when it does not exist (ARGV 5.. field, value pairs of the meta hash), else leaves it; with
-- 'force' (ARGV 4 = '1') overwrites the stored limits. Replies with the stored meta hash, the packed limits left out.
local force = ARGV[4] == '1'
local exists = redis.call('EXISTS', META) == 1
if not exists or force then
  local args = {}
  for k = 5, #ARGV do args[#args + 1] = ARGV[k] end
  redis.call('HSET', META, unpack(args))
  -- The limits as every other operation reads them: one field, eleven doubles (the state part unpacks them).
  local v = redis.call('HMGET', META, 'maxState', 'maxValue', 'maxEntries', 'thrBytes', 'thrEntries', 'tgtBytes',
    'tgtEntries', 'auto', 'stream', 'chunk', 'maxAlerts')
  for i = 1, 11 do
    v[i] = tonumber(v[i])
    if not v[i] then return redis.error_reply('AGENTFLOW attach needs every limit; one of the eleven is missing') end
  end
  redis.call('HSET', META, 'limits', struct.pack(LIMITS, unpack(v)))
end
local out = {}
local stored = redis.call('HGETALL', META)
for k = 1, #stored, 2 do
  if stored[k] ~= 'limits' then out[#out + 1] = stored[k]; out[#out + 1] = stored[k + 1] end
end
out[#out + 1] = 'created'
out[#out + 1] = exists and '0' or '1'
return out
