using System.Collections.Generic;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public abstract class PinTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        [Fact]
        public void Pin_and_Unpin_report_unknown_keys()
        {
            StateMonitor m = Monitor();
            Assert.False(m.Pin("nope"));
            Assert.False(m.Unpin("nope"));
            m.RecordAllocation("a", 10);
            Assert.True(m.Pin("a"));
            Assert.True(m.Pin("a")); // idempotent
            Assert.Equal(1, m.GetStats().PinnedCount);
            Assert.Equal(10, m.GetStats().PinnedSize);
            Assert.True(m.Unpin("a"));
            Assert.True(m.Unpin("a"));
            Assert.Equal(0, m.GetStats().PinnedCount);
            Assert.Equal(0, m.GetStats().PinnedSize);
        }

        [Fact]
        public void Pinned_entries_survive_every_kind_of_cleanup()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.5);
            List<string> evictions = RecordEvictions(m);
            m.Allocate("keep", 30, pin: true);
            m.RecordAllocation("a", 20);
            m.RecordAllocation("b", 20);
            m.RecordAllocation("c", 20); // 90: threshold cleanup evicts a, b (keep is LRU but pinned) -> 50
            Assert.Equal(new[] { "a:Threshold", "b:Threshold" }, evictions);
            Assert.Equal("keep=30!, c=20", Describe(m));

            m.RecordAllocation("d", 50); // 100: due; evict c -> 80; still above 50, nothing left but d
            Assert.Equal("keep=30!, d=50", Describe(m));

            CleanupResult r = m.Cleanup(0);
            Assert.Equal("keep=30!", Describe(m));
            Assert.Equal(new[] { "d" }, System.Linq.Enumerable.Select(r.Evicted, e => e.Key));
            Assert.False(r.TargetReached);
            Assert.Equal(30, r.PinnedSize);
            Assert.Equal(1, r.PinnedCount);
        }

        [Fact]
        public void Unpin_keeps_the_recency_position()
        {
            StateMonitor m = Monitor(auto: false);
            m.RecordAllocation("a", 10);
            m.RecordAllocation("b", 10);
            m.RecordAllocation("c", 10);
            m.Pin("b");
            m.RecordAccess("a"); // b, c, a
            Assert.Equal(new[] { "b", "c", "a" }, m.GetLruKeys(3));
            m.Unpin("b");
            Assert.Equal(new[] { "b", "c", "a" }, m.GetLruKeys(3));

            CleanupResult r = m.Cleanup(0.2); // target 20: evict b first, it is still the least recently used
            Assert.Equal(new[] { "b" }, System.Linq.Enumerable.Select(r.Evicted, e => e.Key));
            Assert.Equal(new[] { "c", "a" }, m.GetLruKeys(3));
        }

        [Fact]
        public void Pinning_and_unpinning_many_keys_keeps_a_single_recency_order()
        {
            StateMonitor m = Monitor(state: 10_000, value: 100, entries: 1000, auto: false);
            for (int i = 0; i < 20; i++)
            {
                m.RecordAllocation("k" + i, 1);
            }

            for (int i = 0; i < 20; i += 3)
            {
                m.Pin("k" + i);
            }

            m.RecordAccess("k0");
            m.RecordAccess("k4");
            for (int i = 0; i < 20; i += 6)
            {
                m.Unpin("k" + i);
            }

            var expected = new List<string>();
            for (int i = 0; i < 20; i++)
            {
                if (i != 0 && i != 4)
                {
                    expected.Add("k" + i);
                }
            }

            expected.Add("k0");
            expected.Add("k4");
            Assert.Equal(expected, m.GetLruKeys(100));
        }

        [Fact]
        public void GetLruKeys_includes_pinned_entries()
        {
            StateMonitor m = Monitor();
            m.Allocate("a", 1, pin: true);
            m.RecordAllocation("b", 1);
            m.Allocate("c", 1, pin: true);
            m.RecordAllocation("d", 1);
            Assert.Equal(new[] { "a", "b", "c", "d" }, m.GetLruKeys(10));
            Assert.Equal(new[] { "a", "b" }, m.GetLruKeys(2));
            m.RecordAccess("a");
            Assert.Equal(new[] { "b", "c", "d", "a" }, m.GetLruKeys(10));
        }

        [Fact]
        public void Replacing_a_pinned_entry_keeps_it_pinned_and_updates_the_pinned_size()
        {
            StateMonitor m = Monitor();
            m.Allocate("p", 10, pin: true);
            m.RecordAllocation("p", 25);
            ResourceStats s = m.GetStats();
            Assert.Equal(25, s.PinnedSize);
            Assert.Equal(1, s.PinnedCount);
            m.RecordDeallocation("p");
            s = m.GetStats();
            Assert.Equal(0, s.PinnedSize);
            Assert.Equal(0, s.PinnedCount);
        }

        [Fact]
        public void A_pinned_key_can_be_deallocated_explicitly()
        {
            StateMonitor m = Monitor();
            m.Allocate("p", 10, pin: true);
            Assert.True(m.RecordDeallocation("p"));
            Assert.Equal(0, m.CurrentSize);
            Assert.False(m.Unpin("p"));
        }

        [Fact]
        public void Pins_above_the_threshold_stop_automatic_cleanup_from_thrashing()
        {
            // Threshold 80, target 70; 85 bytes pinned: neither the target nor "just below the threshold" can be reached.
            StateMonitor m = Monitor(state: 100, value: 50, entries: 100, threshold: 0.8, target: 0.7);
            List<string> evictions = RecordEvictions(m);
            m.Allocate("p1", 45, pin: true);
            m.Allocate("p2", 40, pin: true);
            m.GetAlerts();
            for (int i = 0; i < 15; i++)
            {
                Assert.True(m.RecordAllocation("n" + i, 1)); // 86 .. 100: room under the hard limit, so nothing is evicted
            }

            Assert.Empty(evictions);
            Assert.Equal(100, m.CurrentSize);
            Assert.Equal(17, m.ValueCount);
            Assert.Empty(m.GetAlerts(AlertType.CleanupFailed)); // raised once when the stretch above the target began (with p2)

            Assert.True(m.RecordAllocation("n15", 1)); // the hard limit needs one byte: admission evicts exactly the oldest
            Assert.Equal(new[] { "n0:Admission" }, evictions);
            Assert.Equal(100, m.CurrentSize);
        }

        [Fact]
        public void Pins_between_target_and_threshold_make_cleanup_stop_just_below_the_threshold()
        {
            // Threshold 80, target 70; 75 bytes pinned: the target is out of reach, just below the threshold is not.
            StateMonitor m = Monitor(state: 100, value: 50, entries: 100, threshold: 0.8, target: 0.7);
            List<string> evictions = RecordEvictions(m);
            m.Allocate("p", 45, pin: true);
            m.Allocate("q", 30, pin: true);
            m.RecordAllocation("a", 1);
            m.RecordAllocation("b", 1);
            m.RecordAllocation("c", 1);
            m.RecordAllocation("d", 1); // 79
            Assert.Empty(evictions);
            m.GetAlerts();

            Assert.True(m.RecordAllocation("e", 2)); // 81: evict a and b only (79 is just below 80), not c and d
            Assert.Equal(new[] { "a:Threshold", "b:Threshold" }, evictions);
            Assert.Equal(79, m.CurrentSize);
            Assert.Equal(new[] { AlertType.CleanupTriggered, AlertType.CleanupFailed }, Types(m.GetAlerts()));

            Assert.True(m.RecordAllocation("f", 1)); // 80: evict c only; CleanupFailed is not raised again in this stretch
            Assert.Equal(new[] { "a:Threshold", "b:Threshold", "c:Threshold" }, evictions);
            Assert.Equal(79, m.CurrentSize);
            Assert.Equal(new[] { AlertType.CleanupTriggered }, Types(m.GetAlerts()));
        }

        [Fact]
        public void Pins_below_the_target_still_let_cleanup_reach_the_target()
        {
            StateMonitor m = Monitor(state: 100, value: 50, entries: 100, threshold: 0.8, target: 0.5);
            List<string> evictions = RecordEvictions(m);
            m.Allocate("p", 40, pin: true);
            m.RecordAllocation("a", 20);
            m.RecordAllocation("b", 20); // 80: evict a and b down to 40 (b is the key just recorded: never evicted)
            Assert.Equal(new[] { "a:Threshold" }, evictions);
            Assert.Equal(60, m.CurrentSize);
            Assert.Empty(m.GetAlerts(AlertType.CleanupFailed)); // only the recorded key is above the target: not a failure
        }
    }
}
