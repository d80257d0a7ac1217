--! uses: state
-- Queues an alert the monitor raised itself (PredictedExhaustion), ARGV 4 its whole record, time included.
local record = ARGV[4]
if not RAISED_FIELD[string.match(record, '^[^|]*|(%a)') or ''] then
  return redis.error_reply('AGENTFLOW not an alert record: ' .. record)
end
raised[#raised + 1] = record
save()
return {}
