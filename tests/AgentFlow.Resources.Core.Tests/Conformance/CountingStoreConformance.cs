namespace AgentFlow.Resources.Core.Tests
{
    // The counters-only conformance suite against the in-memory counting store.
    public sealed class CountingStore_FastMonitorTests : FastMonitorTests<CountingStores>
    {
    }

    public sealed class CountingStore_FastModelTests : FastModelTests<CountingStores>
    {
    }

    public sealed class CountingStore_CountingStoreSeamTests : CountingStoreSeamTests<CountingStores>
    {
    }

    public sealed class CountingStore_FastRaceTests : FastRaceTests<CountingStores>
    {
    }

    public sealed class CountingStore_FastAlertCountTests : FastAlertCountTests<CountingStores>
    {
    }
}
