--! uses: eviction thresholds heldlimits
-- An explicit cleanup down to ARGV 4 bytes (ARGV 5: the percentage asked, as text, for the CleanupFailed alert; ARGV 6:
-- the id of the limits the caller computed ARGV 4 from).
local targetBytes, targetText = tonumber(ARGV[4]), ARGV[5]
local before = c.size
local evicted, freed = evictWhile('M', nil, targetBytes, math.huge)
if evicted > 0 then raise('T|' .. fmt(freed) .. '|' .. fmt(evicted) .. '|0') end
if c.size > targetBytes then
  raise('F|M|' .. fmt(targetBytes) .. '|' .. fmt(c.size) .. '|' .. fmt(c.pinSize) .. '|' .. fmt(c.pinCount) .. '|' .. targetText)
end
watchThresholds()
save()
return reply({ fmt(before), fmt(freed), fmt(c.pinSize), fmt(c.pinCount) })
