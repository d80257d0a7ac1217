namespace AgentFlow.Resources.Core.Tests
{
    // The counters-only conformance suite against the fast Redis store, on the "Redis" collection's server. The long
    // suites (FastModelTests, FastRaceTests) run their share of the iterations (RedisCountingStores.Effort).
    [Xunit.Collection("Redis")]
    public sealed class RedisCountingStore_FastMonitorTests : FastMonitorTests<RedisCountingStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisCountingStore_FastModelTests : FastModelTests<RedisCountingStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisCountingStore_FastRaceTests : FastRaceTests<RedisCountingStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisCountingStore_CountingStoreSeamTests : CountingStoreSeamTests<RedisCountingStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisCountingStore_FastAlertCountTests : FastAlertCountTests<RedisCountingStores>
    {
    }
}
