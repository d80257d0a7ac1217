using System;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// The store seam for stores with per-key entries: entries returned by the operations that touched them,
    /// atomic removal, capabilities, and an exact round trip through <see cref="StoreState"/>.
    /// </summary>
    public abstract class StoreSeamTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        [Fact]
        public void A_detailed_store_states_its_capabilities()
        {
            StateMonitor m = Monitor();
            Assert.True(m.Has(StoreCapabilities.Detailed));
            Assert.True(m.Has(StoreCapabilities.Entries | StoreCapabilities.LruOrder | StoreCapabilities.Pinning | StoreCapabilities.Cleanup));
            Assert.False(m.IsFast);
            Assert.Same(m.Store, m.Store);
            Assert.Equal(m.Name, m.Store.Name);
        }

        [Fact]
        public void Allocate_returns_the_entry_it_recorded_and_the_entries_it_evicted_in_LRU_order()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.5);
            m.RecordAllocation("a", 20);
            m.RecordAllocation("b", 20);
            m.RecordAllocation("c", 20);
            AllocationResult r = m.Allocate("d", 25, AllocationOptions.Pin | AllocationOptions.ReturnEntries);

            // 85 bytes reach the threshold of 80: a, then b are evicted down to the target of 50 (c + d = 45).
            Assert.True(r.Recorded);
            Assert.NotNull(r.Entry);
            Assert.Equal("d=25!", Describe(r.Entry!));
            Assert.Equal(new[] { "a=20", "b=20" }, r.Evicted.Select(Describe).ToArray());
            Assert.Equal(2, r.EntriesEvicted);
            Assert.Equal("c=20, d=25!", Describe(m));
        }

        [Fact]
        public void Allocate_without_ReturnEntries_returns_no_entries()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.5);
            m.RecordAllocation("a", 40);
            AllocationResult r = m.Allocate("b", 45);
            Assert.Equal(1, r.EntriesEvicted);
            Assert.Null(r.Entry);
            Assert.Empty(r.Evicted);
        }

        [Fact]
        public void A_rejected_allocation_returns_no_entry()
        {
            StateMonitor m = Monitor(state: 100, value: 50, auto: false);
            AllocationResult r = m.Allocate("big", 51, AllocationOptions.ReturnEntries);
            Assert.False(r.Recorded);
            Assert.Null(r.Entry);
            Assert.Empty(r.Evicted);
        }

        [Fact]
        public void Remove_returns_the_removed_entry_as_it_was()
        {
            StateMonitor m = Monitor(streaming: true, chunk: 10, value: 50);
            m.Allocate("pinned", 30, pin: true);
            m.RecordAllocation("streamed", 70);
            AllocationEntry? pinned = m.Remove("pinned");
            AllocationEntry? streamed = m.Remove("streamed", 12345);
            Assert.Equal("pinned=30!", Describe(pinned!));
            Assert.Equal("streamed=70/10~", Describe(streamed!));
            Assert.Null(m.Remove("pinned"));
            Assert.Equal(0, m.CurrentSize);
            Assert.Equal(0, m.GetStats().PinnedSize);
            Assert.Equal(0, m.GetStats().StreamedBytes);
        }

        [Fact]
        public void Concurrent_removals_of_one_key_remove_it_once()
        {
            StateMonitor m = Monitor(state: 1_000_000, value: 1000, entries: 100_000, threshold: 1.0);
            for (int round = 0; round < 200; round++)
            {
                m.RecordAllocation("k", 7);
                int removedCount = 0;
                System.Threading.Tasks.Parallel.For(0, 4, _ =>
                {
                    if (m.Remove("k") != null)
                    {
                        System.Threading.Interlocked.Increment(ref removedCount);
                    }
                });
                Assert.Equal(1, removedCount);
                Assert.Equal(0, m.CurrentSize);
            }
        }

        [Fact]
        public void A_round_trip_through_the_state_keeps_entries_order_pins_counters_and_alerts()
        {
            StateMonitor m = Monitor(state: 100, value: 60, entries: 10, threshold: 0.8, target: 0.5, streaming: true, chunk: 5, name: "trip", maxAlerts: 2);
            m.RecordAllocation("a", 10);
            m.Allocate("b", 15, pin: true);
            m.RecordAllocation("s", 500);
            m.RecordAllocation("c", 20);
            m.RecordAccess("a");
            m.RecordAllocation("d", 25);

            // 75 + 30 is over 100: admission evicts s; at 100 the threshold cleanup evicts c, a and d down to 45.
            Assert.Equal(4, m.Allocate("e", 30).EntriesEvicted);
            m.Pin("e");

            // Pinned b and e plus 60 can never fit: CleanupFailed and LimitExceeded; the queue of 2 drops the oldest.
            Assert.False(m.RecordAllocation("x", 60));
            Assert.Equal("b=15!, e=30!", Describe(m));
            Assert.Equal(new[] { AlertType.CleanupFailed, AlertType.LimitExceeded }, Types(m.PeekAlerts()));
            Assert.Equal(1, m.GetStats().AlertsDropped);
            Assert.Equal(100, m.GetStats().PeakSize);

            StateMonitor copy = RoundTrip(m);
            Assert.Equal(Fingerprint(m), Fingerprint(copy));
            Assert.Equal(m.GetStats().AlertsDropped, copy.GetStats().AlertsDropped);
        }

        [Fact]
        public void After_a_round_trip_the_next_eviction_and_the_next_alert_are_the_same()
        {
            StateMonitor original = Monitor(state: 100, value: 50, entries: 10, threshold: 0.8, target: 0.5, name: "next");
            original.RecordAllocation("a", 30);
            original.Allocate("p", 10, pin: true);
            original.RecordAllocation("b", 30);
            original.RecordAccess("a");
            original.RecordAllocation("c", 15); // 85 >= 80: evicts b (LRU), then stops at 55 > 50? evicts a too.
            original.ClearAlerts();
            StateMonitor copy = RoundTrip(original);

            foreach (StateMonitor m in new[] { original, copy })
            {
                m.RecordAllocation("e", 40);
            }

            Assert.Equal(Fingerprint(original), Fingerprint(copy));
            Assert.Equal(Types(original.GetAlerts()), Types(copy.GetAlerts()));
        }

        [Fact]
        public void An_ApproachingLimit_already_raised_is_not_raised_again_after_a_round_trip()
        {
            StateMonitor m = Monitor(state: 100, value: 50, entries: 100, threshold: 0.8, auto: false);
            m.RecordAllocation("a", 45);
            m.RecordAllocation("b", 40);
            Assert.Single(m.GetAlerts(AlertType.ApproachingLimit));
            StateMonitor copy = RoundTrip(m);
            copy.RecordAllocation("c", 5);
            m.RecordAllocation("c", 5);
            Assert.Empty(copy.GetAlerts(AlertType.ApproachingLimit));
            Assert.Empty(m.GetAlerts(AlertType.ApproachingLimit));
        }

        [Fact]
        public void A_state_that_disagrees_with_itself_is_refused_with_every_problem()
        {
            StateMonitor m = Monitor(state: 100, value: 50, entries: 3);
            var counters = new StoreCounters { CurrentSize = 40, ValueCount = 2, PeakSize = 30, PinnedCount = -1 };
            var entries = new[] { new StoreEntry("a", 10, false), new StoreEntry("a", 20, false), new StoreEntry(" ", 1, false), new StoreEntry("n", -5, false), new StoreEntry("big", 51, false) };
            var state = new StoreState(entries, counters, default, Array.Empty<ResourceAlert>(), 0);
            var problems = state.Validate(m.Limits, m.MaxAlerts, m.Capabilities);
            Assert.Equal(
                new[]
                {
                    "PinnedCount is negative (-1).",
                    "PeakSize 30 is below CurrentSize 40.",
                    "The key 'a' is listed more than once.",
                    "Entry 2 has a blank key.",
                    "The entry 'n' has a negative size (-5).",
                    "The entry 'big' (51 bytes) is larger than MaxValueSize 50 and streaming is off.",
                    "CurrentSize is 40, but the entries add up to 10.",
                    "ValueCount is 2, but the entries add up to 1.",
                    "PinnedCount is -1, but the entries add up to 0.",
                },
                problems);
            var ex = Assert.Throws<InconsistentStateException>(() => new TStore().Restore(m.Limits, "bad", m.MaxAlerts, state));
            Assert.Contains("CurrentSize is 40, but the entries add up to 10.", ex.Message);
        }

        [Fact]
        public void A_state_above_a_hard_limit_or_with_too_many_alerts_is_refused()
        {
            StateMonitor m = Monitor(state: 100, value: 100, entries: 1, maxAlerts: 1);
            var entries = new[] { new StoreEntry("a", 60, false), new StoreEntry("b", 60, false) };
            var counters = new StoreCounters { CurrentSize = 120, ValueCount = 2, PeakSize = 120 };
            var alert = new CleanupFailedAlert("m", DateTime.UtcNow, "x");
            var state = new StoreState(entries, counters, default, new ResourceAlert[] { alert, alert }, 0);
            Assert.Equal(
                new[]
                {
                    "CurrentSize 120 is above MaxStateSize 100.",
                    "ValueCount 2 is above MaxCacheEntries 1.",
                    "2 alerts are queued, more than the queue holds (1).",
                },
                state.Validate(m.Limits, m.MaxAlerts, m.Capabilities));
        }
    }

    /// <summary>The store seam for stores without per-key data.</summary>
    public abstract class CountingStoreSeamTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        [Fact]
        public void A_counting_store_has_no_per_key_capability()
        {
            StateMonitor m = Monitor();
            Assert.False(m.Has(StoreCapabilities.Entries));
            Assert.False(m.Has(StoreCapabilities.LruOrder));
            Assert.False(m.Has(StoreCapabilities.Pinning));
            Assert.False(m.Has(StoreCapabilities.Cleanup));
            Assert.True(m.IsFast);
        }

        [Fact]
        public void Allocate_and_remove_by_size_return_the_entries_they_touched()
        {
            StateMonitor m = Monitor(state: 100, value: 50, streaming: true, chunk: 10);
            AllocationResult r = m.Allocate("s", 80, AllocationOptions.ReturnEntries);
            Assert.Equal("s=80/10~", Describe(r.Entry!));
            Assert.Null(m.Remove("s"));
            Assert.Equal("s=80/10~", Describe(m.Remove("s", 80)!));
            Assert.Equal(0, m.CurrentSize);
        }

        [Fact]
        public void A_round_trip_through_the_state_keeps_every_counter_and_alert()
        {
            StateMonitor m = Monitor(state: 100, value: 50, entries: 10, threshold: 0.8, streaming: true, chunk: 10, name: "fast-trip");
            m.RecordAllocation("a", 40);
            m.RecordAllocation("s", 70);
            m.RecordAllocation("b", 35);
            m.RecordAllocation("c", 40);
            StateMonitor copy = RoundTrip(m);
            Assert.Equal(Fingerprint(m), Fingerprint(copy));

            // The threshold was crossed before export: no second ApproachingLimit after import.
            m.ClearAlerts();
            copy.ClearAlerts();
            m.RecordAllocation("d", 1);
            copy.RecordAllocation("d", 1);
            Assert.Equal(Fingerprint(m), Fingerprint(copy));
            Assert.Empty(copy.PeekAlerts());
        }

        [Fact]
        public void A_counting_state_with_entries_or_pins_is_refused()
        {
            StateMonitor m = Monitor();
            var state = new StoreState(new[] { new StoreEntry("a", 1, false) }, new StoreCounters { CurrentSize = 1, ValueCount = 1, PeakSize = 1, PinnedCount = 1, PinnedSize = 1 }, default, Array.Empty<ResourceAlert>(), 0);
            Assert.Equal(
                new[] { "A store without per-key data holds no entries, but 1 entry are listed.", "A store without per-key data holds no pinned entries." },
                state.Validate(m.Limits, m.MaxAlerts, m.Capabilities));
        }
    }
}
