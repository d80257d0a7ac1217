-- Numbers are Lua doubles: exact for every integer up to 2^53 bytes. They leave the script as text ('%.0f').
local function fmt(x) return string.format('%.0f', x) end

-- StreamedBytes sums full sizes, which may go past 2^53 (and past long.MaxValue) where doubles lose bytes: it is
-- kept exact as two parts in base 10^9 ({high, low}), built from the sizes' exact decimal text.
local BASE = 1000000000
local function wide(text)
  local n = #text
  if n <= 9 then return { 0, tonumber(text) } end
  return { tonumber(string.sub(text, 1, n - 9)), tonumber(string.sub(text, n - 8)) }
end
local function wideAdd(w, text, sign)
  local d = wide(text)
  local low = w[2] + sign * d[2]
  local high = w[1] + sign * d[1]
  if low >= BASE then low = low - BASE; high = high + 1 end
  if low < 0 then low = low + BASE; high = high - 1 end
  w[1], w[2] = high, low
end
local function wideText(w)
  if w[1] == 0 then return fmt(w[2]) end
  return fmt(w[1]) .. string.format('%09d', w[2])
end
local function wideBelow(w, text)
  local d = wide(text)
  return w[1] < d[1] or (w[1] == d[1] and w[2] < d[2])
end
