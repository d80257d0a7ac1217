-- The start of every operation script. KEYS: 1 meta, 2 counters, 3 entries, 4 lru (unpinned, by recency stamp),
-- 5 pinned (by stamp), 6 alerts. ARGV: 1 the operation's name (read by no script: it names the call in SLOWLOG and
-- MONITOR, where every script is an EVALSHA), 2 the caller's time (UTC ticks, kept as text), 3 the caller's deadline
-- in the server's clock (microseconds; 0 for none), then the operation's own arguments.
local META, CNT, ENT, LRU, PIN, ALERTS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local now = ARGV[2]
-- The two packed fields almost every operation reads: meta's 'limits' (eleven doubles, written by attach) and the
-- counters' 'totals' (nine doubles, the totals part). An operation's usual path (Scripts/UsualPaths) reads them
-- first; the parts read them only when it has not (nil: not read yet; false: the field is absent).
local LIMITS, TOTALS = '<ddddddddddd', '<ddddddddd'
local limitsPacked, totalsPacked = nil, nil
local GONE = 'AGENTFLOW_GONE the shared budget no longer exists'
-- A call that reaches the server after its caller gave up (a stopped or overloaded server) changes nothing: the
-- caller has already reported it as failed.
local deadline = tonumber(ARGV[3])
if deadline > 0 then
  local t = redis.call('TIME')
  if tonumber(t[1]) * 1000000 + tonumber(t[2]) > deadline then
    return redis.error_reply('AGENTFLOW_EXPIRED the call reached the server after its timeout; nothing was changed')
  end
end
