using System;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The counting store's own rules: restoring its counters, its trigger state on export, its refusals' sentences.</summary>
    public class CountingStoreTests
    {
        private static readonly ResourceLimits Small = Limits(state: 100, value: 50, entries: 10, threshold: 0.8, streaming: true, chunk: 10);

        [Fact]
        public void A_restored_store_keeps_the_allocations_recorded_before_deallocations()
        {
            var store = new CountingStore("c", Small);
            var events = default(OperationEvents);
            store.Allocate("a", 10, AllocationOptions.None, ref events);
            store.Allocate("b", 10, AllocationOptions.None, ref events);
            store.Allocate("c", 10, AllocationOptions.None, ref events);
            store.Remove("a", 10, false, out _, ref events);
            store.Remove("b", 10, false, out _, ref events);

            CountingStore copy = CountingStore.Restore("c", Small, StateMonitor.DefaultMaxAlerts, store.ExportState());
            StoreCounters counters = copy.ReadCounters();
            Assert.Equal(3, counters.RecordedAllocations);
            Assert.Equal(1, counters.ValueCount);
            copy.Allocate("d", 10, AllocationOptions.None, ref events);
            Assert.Equal(4, copy.ReadCounters().RecordedAllocations);
        }

        [Fact]
        public void Restore_refuses_an_inconsistent_state_and_a_missing_one()
        {
            var state = new StoreState(Array.Empty<StoreEntry>(), new StoreCounters { CurrentSize = -1 }, default, Array.Empty<ResourceAlert>(), 0);
            var ex = Assert.Throws<InconsistentStateException>(() => CountingStore.Restore("c", Small, 10, state));
            Assert.Equal(new[] { "CurrentSize is negative (-1)." }, ex.Problems);
            Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => CountingStore.Restore("c", Small, 10, null!)).ParamName);
        }

        [Fact]
        public void The_exported_triggers_are_the_totals_position_against_the_thresholds()
        {
            // Thresholds: 80 bytes (0.8 × 100) and 8 entries (0.8 × 10).
            Assert.Equal((false, false), Triggers(entries: 7, bytesEach: 11));   // 77 bytes, 7 entries
            Assert.Equal((true, false), Triggers(entries: 2, bytesEach: 40));    // exactly 80 bytes
            Assert.Equal((false, true), Triggers(entries: 8, bytesEach: 1));     // exactly 8 entries
            Assert.Equal((true, true), Triggers(entries: 8, bytesEach: 10));
        }

        [Fact]
        public void A_streamed_deallocation_larger_than_the_streamed_total_names_both()
        {
            var store = new CountingStore("c", Small);
            var events = default(OperationEvents);
            store.Allocate("s", 60, AllocationOptions.None, ref events);
            var ex = Assert.Throws<ArgumentException>(() => store.Remove("s", 70, false, out _, ref events));
            Assert.Equal("size", ex.ParamName);
            Assert.StartsWith("Cannot deallocate 70 bytes for 's' as a streamed value: the fast monitor holds only 60 streamed bytes, so that total would go below zero.", ex.Message);
            Assert.Equal(10, store.CurrentSize);
        }

        private static (bool State, bool Entries) Triggers(int entries, long bytesEach)
        {
            var store = new CountingStore("c", Small);
            var events = default(OperationEvents);
            for (int i = 0; i < entries; i++)
            {
                Assert.True(store.Allocate("k" + i, bytesEach, AllocationOptions.None, ref events).Recorded);
            }

            AlertTriggers triggers = store.ExportState().Triggers;
            return (triggers.StateAtThreshold, triggers.EntriesAtThreshold);
        }
    }
}
