--! uses: order
-- The ARGV 4 least recently used keys, pinned ones included.
return oldestFirst(tonumber(ARGV[4]), false)
