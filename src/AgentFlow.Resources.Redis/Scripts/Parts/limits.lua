--! uses: state
-- What a value is charged, and a refused allocation.
local function isStreamed(size) return L.stream == 1 and size > L.maxValue end

local function resident(size)
  if isStreamed(size) and size > L.chunk then return L.chunk end
  return size
end

local function reject(key, resource, attempted, limit)
  c.rejected = c.rejected + 1
  raise('L|' .. resource .. '|' .. fmt(attempted) .. '|' .. fmt(limit) .. '|' .. key)
  save()
  return reply({ '0', resource, fmt(attempted), fmt(limit) })
end
