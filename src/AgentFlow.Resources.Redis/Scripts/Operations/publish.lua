--! uses: state
-- Queues an alert the monitor raised itself (PredictedExhaustion), ARGV 4 its whole record, time included.
local record = ARGV[4]
local letter = string.match(record, '^[^|]*|(%a)')
if not letter or not string.find('ALTFP', letter, 1, true) then
  return redis.error_reply('AGENTFLOW not an alert record: ' .. record)
end
raised[#raised + 1] = record
save()
return {}
