--! uses: state
-- Empties the budget and keeps its limits.
redis.call('DEL', CNT, ENT, LRU, PIN, ALERTS)
return {}
