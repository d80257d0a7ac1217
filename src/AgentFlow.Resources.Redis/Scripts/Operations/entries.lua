--! uses: order
-- Every entry, least recently used first: key, size, charge, pinned.
return oldestFirst(math.huge, true)
