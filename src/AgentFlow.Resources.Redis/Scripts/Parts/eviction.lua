--! uses: entries
-- Evicts least recently used unpinned entries, never 'protected', while either total is above its bound.
local function evictWhile(reason, protected, maxBytes, maxCount)
  local n, freed, skipped = 0, 0, 0
  while c.size > maxBytes or c.count > maxCount do
    local batch = redis.call('ZRANGE', LRU, skipped, skipped + 63)
    if #batch == 0 then break end
    for _, key in ipairs(batch) do
      if not (c.size > maxBytes or c.count > maxCount) then break end
      if key == protected then
        skipped = skipped + 1
      else
        local e = getEntry(key)
        dropEntry(key, e)
        c.evictions = c.evictions + 1
        c.evBytes = c.evBytes + e.charge
        evictions[#evictions + 1] = { key, e.text, e.charge, reason }
        n = n + 1
        freed = freed + e.charge
      end
    end
  end
  return n, freed
end

-- The automatic cleanup after usage reached the threshold: down to the target when the pins allow it; when they
-- keep the target out of reach, only until usage is just below the threshold, and not at all when even that cannot
-- be reached (evicting more would only thrash: every insert would evict again).
local function cleanUpAfterThreshold(key, recorded)
  if c.pinSize <= L.tgtBytes and c.pinCount <= L.tgtEntries then
    return evictWhile('T', key, L.tgtBytes, L.tgtEntries)
  end
  local keptBytes, keptCount = c.pinSize, c.pinCount
  if not recorded.pinned then
    keptBytes = keptBytes + recorded.charge
    keptCount = keptCount + 1
  end
  if keptBytes < L.thrBytes and keptCount < L.thrEntries then
    return evictWhile('T', key, L.thrBytes - 1, L.thrEntries - 1)
  end
  return 0, 0
end

-- CleanupFailed once per stretch in which automatic cleanup is held above its target (the entry just recorded,
-- which is never evicted, does not count).
local function watchAutomaticCleanup(recorded)
  local size, count = c.size, c.count
  if not recorded.pinned then
    size = size - recorded.charge
    count = count - 1
  end
  local reached = size <= L.tgtBytes and count <= L.tgtEntries
  if not reached and c.tFail ~= 1 then
    raise('F|U|' .. fmt(c.size) .. '|' .. fmt(c.count) .. '|' .. fmt(L.tgtBytes) .. '|' .. fmt(L.tgtEntries) .. '|'
      .. fmt(c.pinSize) .. '|' .. fmt(c.pinCount))
  end
  c.tFail = reached and 0 or 1
end
