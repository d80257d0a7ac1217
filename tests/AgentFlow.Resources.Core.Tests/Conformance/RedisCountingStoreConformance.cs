namespace AgentFlow.Resources.Core.Tests
{
    // The counters-only conformance suite against the fast Redis store, on the "Redis" collection's server.
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
