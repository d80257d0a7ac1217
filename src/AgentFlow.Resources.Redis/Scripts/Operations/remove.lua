--! uses: entries thresholds
-- Removes an entry (ARGV 4 key) and returns it.
local key = ARGV[4]
local e = getEntry(key)
if not e then return reply({ '0' }) end
dropEntry(key, e)
watchThresholds()
save()
return reply({ '1', e.text, chargeText(e), e.pinned and '1' or '0' })
