--! uses: limits
-- Counters only (ARGV 5 size): a deallocation that would take a total below zero changes nothing (the reply says
-- which).
local text = ARGV[5]
local size = tonumber(text)
local streamed = isStreamed(size)
local charge = resident(size)
if streamed and c.strCount < 1 then return reply({ '0', 'streamedCount', '0' }) end
if streamed and wideBelow(c.strBytes, text) then return reply({ '0', 'streamedBytes', wideText(c.strBytes) }) end
if c.count < 1 then return reply({ '0', 'count', '0' }) end
if c.size - charge < 0 then return reply({ '0', 'size', fmt(c.size) }) end
if streamed then
  c.strCount = c.strCount - 1
  wideAdd(c.strBytes, text, -1)
end
c.count = c.count - 1
c.size = c.size - charge
save()
return reply({ '1', fmt(charge), streamed and '1' or '0' })
