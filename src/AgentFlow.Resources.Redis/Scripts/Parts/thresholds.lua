--! uses: state
-- ApproachingLimit when usage crosses a threshold upwards; re-armed once it is below again.
local function watchThresholds()
  local stateAt = c.size >= L.thrBytes
  if stateAt and c.tState ~= 1 then raise('A|S|' .. fmt(c.size) .. '|' .. fmt(L.maxState)) end
  local entriesAt = c.count >= L.thrEntries
  if entriesAt and c.tEntries ~= 1 then raise('A|E|' .. fmt(c.count) .. '|' .. fmt(L.maxEntries)) end
  c.tState = stateAt and 1 or 0
  c.tEntries = entriesAt and 1 or 0
  if c.size <= L.tgtBytes and c.count <= L.tgtEntries then c.tFail = 0 end
end
