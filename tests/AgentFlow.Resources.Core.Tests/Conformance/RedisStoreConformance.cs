namespace AgentFlow.Resources.Core.Tests
{
    // The detailed conformance suite against the Redis store, on one redis-server shared by the "Redis" collection.
    [Xunit.Collection("Redis")]
    public sealed class RedisStore_AllocationTests : AllocationTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_AlertTests : AlertTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_CleanupTests : CleanupTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_EvictionTests : EvictionTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_PinTests : PinTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_StreamingTests : StreamingTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_StatsAndResetTests : StatsAndResetTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_EventTests : EventTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_ModelBasedTests : ModelBasedTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_SeedExamplesTests : SeedExamplesTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_ConcurrencyTests : ConcurrencyTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_StoreSeamTests : StoreSeamTests<RedisStores>
    {
    }

    [Xunit.Collection("Redis")]
    public sealed class RedisStore_AlertCountTests : AlertCountTests<RedisStores>
    {
    }
}
