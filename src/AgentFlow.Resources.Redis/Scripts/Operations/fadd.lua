--! uses: limits
-- Counters only (ARGV 4 key, 5 size): admission against the hard limits, no per-key data; ApproachingLimit on the
-- upward crossing.
local key, text = ARGV[4], ARGV[5]
local size = tonumber(text)
local streamed = isStreamed(size)
local charge = resident(size)
if size > L.maxValue and not streamed then return reject(key, 'V', size, L.maxValue) end
if charge > L.maxState - c.size then return reject(key, 'S', c.size + charge, L.maxState) end
if c.count + 1 > L.maxEntries then return reject(key, 'E', c.count + 1, L.maxEntries) end
local sizeBefore, countBefore = c.size, c.count
c.size = c.size + charge
c.count = c.count + 1
if streamed then
  c.strCount = c.strCount + 1
  wideAdd(c.strBytes, text, 1)
end
if c.size > c.peak then c.peak = c.size end
if sizeBefore < L.thrBytes and c.size >= L.thrBytes then raise('A|S|' .. fmt(c.size) .. '|' .. fmt(L.maxState)) end
if countBefore < L.thrEntries and c.count >= L.thrEntries then raise('A|E|' .. fmt(c.count) .. '|' .. fmt(L.maxEntries)) end
save()
return reply({ '1', '0', streamed and '1' or '0', fmt(charge) })
