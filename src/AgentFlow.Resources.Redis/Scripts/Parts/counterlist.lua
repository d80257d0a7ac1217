--! uses: state
-- Every counter, in the order export writes them and restore reads them (RedisStoreBase's exported counters): the
-- alert counts last.
local COUNTER_FIELDS = { 'size', 'count', 'peak', 'pinSize', 'pinCount', 'strCount', 'strBytes', 'evictions',
  'evBytes', 'rejected', 'dropped', 'tState', 'tEntries', 'tFail', 'clock', 'raisedA', 'raisedL', 'raisedT', 'raisedF',
  'raisedP' }
