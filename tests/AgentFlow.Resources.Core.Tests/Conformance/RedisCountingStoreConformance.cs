namespace AgentFlow.Resources.Core.Tests
{
    // The counters-only conformance suite against the fast Redis store, on the "Redis" collection's server.
    // FastRaceTests is not run here: its 200,000-round races test the in-process store's lock-free critical
    // section, while Redis runs every script alone; over loopback it takes minutes (docs/design/redis-store.md).
    [Xunit.Collection("Redis")]
    public sealed class RedisCountingStore_FastMonitorTests : FastMonitorTests<RedisCountingStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisCountingStore_FastModelTests : FastModelTests<RedisCountingStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisCountingStore_CountingStoreSeamTests : CountingStoreSeamTests<RedisCountingStores>
    {
    }
}
