namespace AgentFlow.Resources.Core.Tests
{
    // The detailed conformance suite against the in-memory detailed store.
    public sealed class MemoryStore_AllocationTests : AllocationTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_AlertTests : AlertTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_CleanupTests : CleanupTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_EvictionTests : EvictionTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_PinTests : PinTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_StreamingTests : StreamingTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_StatsAndResetTests : StatsAndResetTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_EventTests : EventTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_ModelBasedTests : ModelBasedTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_SeedExamplesTests : SeedExamplesTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_ConcurrencyTests : ConcurrencyTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_StoreSeamTests : StoreSeamTests<MemoryStores>
    {
    }

    public sealed class MemoryStore_AlertCountTests : AlertCountTests<MemoryStores>
    {
    }
}
