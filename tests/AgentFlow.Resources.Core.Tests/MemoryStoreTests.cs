using System;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// The memory store's own rules beyond the conformance suites: memory given back by every path that evicts, the
    /// trigger state after an early cleanup, a cleanup whose target is the threshold, and the checks every store shares.
    /// </summary>
    public class MemoryStoreTests
    {
        [Fact]
        public void An_allocation_that_evicts_most_entries_gives_the_table_memory_back()
        {
            var store = new MemoryStore("m", Limits(state: 1000, value: 1000, entries: 1000, threshold: 1.0));
            var events = default(OperationEvents);
            long empty = store.TableHeldBytes;
            for (int i = 0; i < 99; i++)
            {
                store.Allocate("k" + i, 10, AllocationOptions.None, ref events);
            }

            Assert.True(store.TableHeldBytes > empty);

            // 995 bytes fit only once every other entry is gone.
            AllocationResult big = store.Allocate("big", 995, AllocationOptions.None, ref events);
            Assert.True(big.Recorded);
            Assert.Equal(99, big.EntriesEvicted);
            Assert.Equal(empty, store.TableHeldBytes);
        }

        [Fact]
        public void An_early_cleanup_gives_the_table_memory_back()
        {
            var store = new MemoryStore("m", Limits(state: 1000, value: 100, entries: 1000, threshold: 0.8, target: 0, auto: true));
            var events = new OperationEvents(recordEvictions: false, recordAlerts: true);
            long empty = store.TableHeldBytes;
            var pinned = store.Allocate("pinned", 10, AllocationOptions.Pin, ref events);
            Assert.True(pinned.Recorded);
            for (int i = 0; i < 70; i++)
            {
                store.Allocate("k" + i, 10, AllocationOptions.None, ref events);
            }

            Assert.Equal(710, store.CurrentSize);
            Assert.Equal(69, store.CleanupEarly("k69", ref events));   // all but the pinned and the protected entry
            Assert.Equal(new[] { "pinned", "k69" }, store.GetLruKeys(10));
            Assert.Equal(empty, store.TableHeldBytes);
        }

        [Fact]
        public void After_an_early_cleanup_from_above_the_threshold_the_next_crossing_raises_ApproachingLimit_again()
        {
            // Automatic cleanup off, so usage stays at the threshold until the early cleanup takes it down.
            var store = new MemoryStore("m", Limits(state: 100, value: 50, entries: 100, threshold: 0.8, target: 0.5, auto: false));
            var events = new OperationEvents(recordEvictions: false, recordAlerts: true);
            for (int i = 0; i < 8; i++)
            {
                store.Allocate("k" + i, 10, AllocationOptions.None, ref events);
            }

            Assert.True(store.ExportState().Triggers.StateAtThreshold);
            Assert.Equal(3, store.CleanupEarly(null, ref events));
            Assert.False(store.ExportState().Triggers.StateAtThreshold);
            store.DrainAlerts(null);
            store.Allocate("x", 30, AllocationOptions.None, ref events);
            Assert.Equal(new[] { AlertType.ApproachingLimit }, store.DrainAlerts(null).Select(a => a.Type).ToArray());
        }

        [Fact]
        public void A_threshold_cleanup_whose_target_is_the_threshold_in_bytes_evicts_nothing()
        {
            // floor(100 × 0.805) = floor(100 × 0.801) = 80: at 80 bytes the cleanup is due and its target is already met.
            StateMonitor m = Monitor(state: 100, value: 50, entries: 100, threshold: 0.805, target: 0.801);
            Assert.Equal(80, m.Limits.CleanupThresholdBytes);
            Assert.Equal(80, m.Limits.CleanupTargetBytes);
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(0, m.Allocate("k" + i, 10).EntriesEvicted);
            }

            Assert.Equal(80, m.CurrentSize);
            Assert.Equal(8, m.ValueCount);
            Assert.Empty(m.GetAlerts(AlertType.CleanupFailed));
        }

        [Fact]
        public void Restore_without_a_state_throws()
        {
            Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => MemoryStore.Restore("m", ResourceLimits.Default, 10, null!)).ParamName);
        }

        [Fact]
        public void A_store_refuses_missing_limits_a_missing_or_blank_name_and_an_alert_bound_below_1()
        {
            Assert.Equal("limits", Assert.Throws<ArgumentNullException>(() => new MemoryStore("m", null!)).ParamName);
            Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new CountingStore(null!, ResourceLimits.Default)).ParamName);
            var blank = Assert.Throws<ArgumentException>(() => new MemoryStore("  ", ResourceLimits.Default));
            Assert.Equal("A monitor name must not be empty or blank. (Parameter 'name')", blank.Message);
            var bound = Assert.Throws<ArgumentOutOfRangeException>(() => new CountingStore("c", ResourceLimits.Default, 0));
            Assert.Equal("maxAlerts", bound.ParamName);
            Assert.StartsWith("A monitor must keep at least 1 alert.", bound.Message);
        }

        [Fact]
        public void AllocateMany_refuses_missing_requests_or_results()
        {
            var store = new MemoryStore("m", ResourceLimits.Default);
            var events = default(OperationEvents);
            Assert.Equal("requests", Assert.Throws<ArgumentNullException>(() => store.AllocateMany(null!, new AllocationResult[1], ref events)).ParamName);
            Assert.Equal("results", Assert.Throws<ArgumentNullException>(() => store.AllocateMany(new[] { new AllocationRequest("a", 1) }, null!, ref events)).ParamName);
            Assert.Equal(0, store.ValueCount);
        }
    }
}
