--! uses: state
-- Counters only: a cleanup has no entries to evict, so it fails (CleanupFailed) and changes nothing else.
raise('F|X')
save()
return reply({})
