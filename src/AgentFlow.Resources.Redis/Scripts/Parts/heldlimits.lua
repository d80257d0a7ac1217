--! uses: state
-- For operations whose arguments the caller computed from the limits it holds (a cleanup's target in bytes) or whose
-- reply it reads with them (a snapshot): their id is the last argument, and when the budget now holds others (another
-- process attached with -Force) the operation does nothing and says so; the caller reads the limits and calls again.
if (redis.call('HGET', META, 'limitsId') or '') ~= ARGV[#ARGV] then return 'AGENTFLOW_LIMITS_CHANGED' end
