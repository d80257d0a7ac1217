using System.Collections.Generic;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>Automatic eviction: admission against the hard limits, then the batch cleanup down to the target.</summary>
    public abstract class EvictionTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        // Threshold 1.0 puts the cleanup threshold at the hard limit, so these isolate admission eviction.
        private static StateMonitor AdmissionMonitor(long entries = 100, long value = 50) =>
            Monitor(state: 100, value: value, entries: entries, threshold: 1.0, target: 0.9);

        [Fact]
        public void Admission_evicts_the_least_recently_used_entry_to_fit()
        {
            StateMonitor m = AdmissionMonitor();
            List<string> evictions = RecordEvictions(m);
            m.RecordAllocation("a", 30);
            m.RecordAllocation("b", 30);
            m.RecordAllocation("c", 30);

            AllocationResult r = m.Allocate("d", 25); // 115 > 100: evict a
            Assert.True(r.Recorded);
            Assert.Equal(1, r.EntriesEvicted);
            Assert.Equal("b=30, c=30, d=25", Describe(m));
            Assert.Equal(85, m.CurrentSize);
            Assert.Equal(new[] { "a:Admission" }, evictions);
            var alerts = m.GetAlerts();
            AssertCleanupTriggered(Assert.Single(alerts), 30, 1, automatic: true);
            ResourceStats s = m.GetStats();
            Assert.Equal(1, s.TotalEvictions);
            Assert.Equal(30, s.EvictedBytes);
            Assert.Equal(0, s.RejectedAllocations);
        }

        [Fact]
        public void Admission_evicts_as_many_as_needed_in_one_run()
        {
            StateMonitor m = AdmissionMonitor();
            List<string> evictions = RecordEvictions(m);
            m.RecordAllocation("a", 30);
            m.RecordAllocation("b", 30);
            m.RecordAllocation("c", 30);
            m.RecordAccess("a"); // order b, c, a

            Assert.Equal(2, m.Allocate("d", 50).EntriesEvicted); // 140: evict b (110), c (80)
            Assert.Equal("a=30, d=50", Describe(m));
            Assert.Equal(new[] { "b:Admission", "c:Admission" }, evictions);
            AssertCleanupTriggered(Assert.Single(m.GetAlerts()), 60, 2, automatic: true);
        }

        [Fact]
        public void Admission_never_evicts_the_key_being_recorded()
        {
            StateMonitor m = AdmissionMonitor();
            List<string> evictions = RecordEvictions(m);
            m.RecordAllocation("a", 30);
            m.RecordAllocation("b", 30);
            m.RecordAllocation("c", 30);

            Assert.True(m.RecordAllocation("a", 45)); // 105: a is the LRU entry but is the one recorded; evict b
            Assert.Equal("c=30, a=45", Describe(m));
            Assert.Equal(new[] { "b:Admission" }, evictions);
            AssertCleanupTriggered(Assert.Single(m.GetAlerts()), 30, 1, automatic: true);
        }

        [Fact]
        public void Admission_that_cannot_fit_even_after_evicting_everything_evicts_nothing()
        {
            StateMonitor m = AdmissionMonitor();
            List<string> evictions = RecordEvictions(m);
            m.RecordAllocation("a", 30);
            m.Allocate("b", 30, pin: true);
            m.Allocate("c", 30, pin: true);
            m.GetAlerts();
            string before = Fingerprint(m);

            AllocationResult r = m.Allocate("d", 50); // 140; only a (30) is evictable: 110 > 100
            Assert.False(r.Recorded);
            Assert.Equal(LimitedResource.StateSize, r.RejectedResource);
            Assert.Equal(140, r.AttemptedValue);
            Assert.Empty(evictions);
            Assert.Equal("a=30, b=30!, c=30!", Describe(m));

            var alerts = m.GetAlerts();
            Assert.Equal(new[] { AlertType.CleanupFailed, AlertType.LimitExceeded }, Types(alerts));
            string message = Assert.IsType<CleanupFailedAlert>(alerts[0]).Reason;
            Assert.Contains("'d'", message);
            Assert.Contains("60 B is pinned in 2 entries", message);
            AssertLimitExceeded(alerts[1], LimitedResource.StateSize, 140, 100, "d");
            Assert.Equal(before, Fingerprint(m).Replace("|1|0|0|", "|0|0|0|"));
            Assert.Equal(1, m.GetStats().RejectedAllocations);
        }

        [Fact]
        public void A_replacement_that_cannot_fit_keeps_its_old_size()
        {
            StateMonitor m = AdmissionMonitor(value: 60);
            m.Allocate("p", 50, pin: true);
            m.RecordAllocation("a", 40);
            m.GetAlerts();

            Assert.False(m.RecordAllocation("a", 55)); // 105, and the only unpinned entry is a itself
            Assert.Equal("p=50!, a=40", Describe(m));
            Assert.Equal(90, m.CurrentSize);
            Assert.Equal(new[] { AlertType.CleanupFailed, AlertType.LimitExceeded }, Types(m.GetAlerts()));

            Assert.True(m.RecordAllocation("a", 50)); // exactly at the limit: admitted
            Assert.Equal(100, m.CurrentSize);
        }

        [Fact]
        public void Admission_evicts_for_the_entry_limit_too()
        {
            // Entries 3, threshold 1.0: cleanup due at 3 entries, target floor(2.7) = 2.
            StateMonitor m = Monitor(state: 1000, value: 100, entries: 3, threshold: 1.0, target: 0.9);
            List<string> evictions = RecordEvictions(m);
            m.Allocate("a", 1, pin: true);
            m.Allocate("b", 2, pin: true);
            m.RecordAllocation("c", 3); // 3 entries: due, but c is protected and a, b pinned
            Assert.Empty(evictions);
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.CacheEntries, 3, 3);

            AllocationResult r = m.Allocate("d", 4); // 4 > 3 entries: evict c
            Assert.True(r.Recorded);
            Assert.Equal(1, r.EntriesEvicted);
            Assert.Equal(new[] { "c:Admission" }, evictions);
            Assert.Equal("a=1!, b=2!, d=4", Describe(m));
            AssertCleanupTriggered(Assert.Single(m.GetAlerts()), 3, 1, automatic: true); // still at the threshold: no new warning

            Assert.True(m.Pin("d"));
            Assert.False(m.RecordAllocation("e", 5)); // every entry pinned
            var alerts = m.GetAlerts();
            Assert.Equal(new[] { AlertType.CleanupFailed, AlertType.LimitExceeded }, Types(alerts));
            AssertLimitExceeded(alerts[1], LimitedResource.CacheEntries, 4, 3, "e");
            Assert.Equal("a=1!, b=2!, d=4!", Describe(m));
        }

        [Fact]
        public void Batch_cleanup_goes_down_to_the_target_bytes_once()
        {
            // threshold 80 bytes, target 50 bytes
            StateMonitor m = Monitor(state: 100, value: 50, entries: 100, threshold: 0.8, target: 0.5);
            List<string> evictions = RecordEvictions(m);
            var results = new List<AllocationResult>();
            for (int i = 0; i < 10; i++)
            {
                results.Add(m.Allocate("k" + i, 10));
            }

            // k7 brings 80 bytes: evict k0, k1, k2 down to 50; k8, k9 bring it to 70 without evicting.
            Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 3, 0, 0 }, results.Select(r => r.EntriesEvicted));
            Assert.Equal(new[] { "k0:Threshold", "k1:Threshold", "k2:Threshold" }, evictions);
            Assert.Equal(Enumerable.Range(3, 7).Select(i => "k" + i), Keys(m));
            Assert.Equal(70, m.CurrentSize);
            AssertCleanupTriggered(Assert.Single(m.GetAlerts()), 30, 3, automatic: true);
            ResourceStats s = m.GetStats();
            Assert.Equal(80, s.PeakSize);
            Assert.Equal(3, s.TotalEvictions);
            Assert.Equal(30, s.EvictedBytes);
            Assert.False(s.ShouldCleanup);
        }

        [Fact]
        public void Batch_cleanup_goes_down_to_the_target_entries()
        {
            // entries: due at 8, target 5
            StateMonitor m = Monitor(state: 1000, value: 100, entries: 10, threshold: 0.8, target: 0.5);
            List<string> evictions = RecordEvictions(m);
            for (int i = 0; i < 10; i++)
            {
                Assert.True(m.RecordAllocation("e" + i, 1));
            }

            Assert.Equal(new[] { "e0:Threshold", "e1:Threshold", "e2:Threshold" }, evictions);
            Assert.Equal(Enumerable.Range(3, 7).Select(i => "e" + i), Keys(m));
            AssertCleanupTriggered(Assert.Single(m.GetAlerts()), 3, 3, automatic: true);
        }

        [Fact]
        public void Batch_cleanup_needs_both_bytes_and_entries_at_or_below_the_target()
        {
            // bytes: due at 80, target 50; entries: due at 8, target 5
            StateMonitor m = Monitor(state: 100, value: 80, entries: 10, threshold: 0.8, target: 0.5);
            List<string> evictions = RecordEvictions(m);
            for (int i = 0; i < 7; i++)
            {
                m.RecordAllocation("s" + i, 1);
            }

            m.RecordAllocation("big", 40); // 47 bytes, 8 entries: due by entries
            // bytes are already below 50, entries must go to 5: evict s0, s1, s2
            Assert.Equal(new[] { "s0:Threshold", "s1:Threshold", "s2:Threshold" }, evictions);
            Assert.Equal("s3=1, s4=1, s5=1, s6=1, big=40", Describe(m));
            AssertCleanupTriggered(Assert.Single(m.GetAlerts()), 3, 3, automatic: true);

            evictions.Clear();
            m.RecordAllocation("huge", 40); // 84 bytes, 6 entries: due by bytes; evict s3..s6 (80) then big (40)
            Assert.Equal(new[] { "s3:Threshold", "s4:Threshold", "s5:Threshold", "s6:Threshold", "big:Threshold" }, evictions);
            Assert.Equal("huge=40", Describe(m));
            AssertCleanupTriggered(Assert.Single(m.GetAlerts()), 44, 5, automatic: true);
        }

        [Fact]
        public void Admission_and_the_cleanup_that_follows_are_one_run_with_one_alert()
        {
            // due at 80, target 50
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.5);
            List<string> evictions = RecordEvictions(m);
            m.Allocate("p", 45, pin: true);
            m.RecordAllocation("a", 20);
            Assert.Empty(m.GetAlerts()); // 65
            m.Allocate("q", 30, pin: true); // 95: due; evict a -> 75, still above 50 but nothing else is evictable
            Assert.Equal(new[] { "a:Threshold" }, evictions);
            var alerts = m.GetAlerts();
            Assert.Equal(new[] { AlertType.CleanupTriggered, AlertType.CleanupFailed }, Types(alerts)); // 75 < 80: no warning
            AssertCleanupTriggered(alerts[0], 20, 1, automatic: true);
            Assert.Equal("Automatic cleanup stopped at 75 B in 2 entries, above its target of 50 B and 50 entries: 75 B is pinned in 2 entries.", alerts[1].Message);

            m.RecordAllocation("b", 10); // 85: due; only b, which is protected: the same failure, not said again
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.StateSize, 85, 100);
            m.RecordAllocation("c", 15); // 100: due; evicting b would leave 90, not below 80: nothing is evicted (no thrash)
            Assert.Equal("p=45!, q=30!, b=10, c=15", Describe(m));
            Assert.Empty(m.GetAlerts()); // still above: no second warning or failure

            evictions.Clear();
            AllocationResult r = m.Allocate("d", 20); // 120 > 100: admission evicts b and c -> 75 + 20; then due, but 95 cannot go below 80
            Assert.True(r.Recorded);
            Assert.Equal(2, r.EntriesEvicted);
            Assert.Equal(new[] { "b:Admission", "c:Admission" }, evictions);
            AssertCleanupTriggered(Assert.Single(m.GetAlerts()), 25, 2, automatic: true);
        }

        [Fact]
        public void An_automatic_run_above_its_target_only_by_the_entry_just_recorded_has_not_failed()
        {
            StateMonitor m = Monitor(state: 100, value: 100, threshold: 0.8, target: 0.5);
            m.RecordAllocation("a", 30);
            m.GetAlerts();
            m.RecordAllocation("big", 60); // 90: due; evict a -> 60, above 50 only by big itself
            Assert.Equal("big=60", Describe(m));
            Assert.Equal(new[] { AlertType.CleanupTriggered }, Types(m.GetAlerts()));
        }

        [Fact]
        public void Automatic_cleanup_failure_is_raised_once_per_streak_and_again_after_a_run_reaches_its_target()
        {
            StateMonitor m = Monitor(state: 100, value: 100, threshold: 0.8, target: 0.5);
            m.Allocate("pinned", 70, pin: true);
            m.RecordAllocation("x", 5);
            m.RecordAllocation("y", 6); // 81: due; evict x -> 76: pins keep it above 50
            Assert.Equal(new[] { AlertType.CleanupTriggered, AlertType.CleanupFailed }, Types(m.GetAlerts()));
            m.RecordAllocation("z", 7); // 83: due; evict y -> 77: the same streak, no new alert
            Assert.Equal(new[] { AlertType.CleanupTriggered }, Types(m.GetAlerts()));

            Assert.True(m.Unpin("pinned"));
            m.RecordAllocation("w", 4); // 81: due; evict pinned (the oldest) -> 11: target reached, streak over
            Assert.Equal("z=7, w=4", Describe(m));
            Assert.Equal(new[] { AlertType.CleanupTriggered }, Types(m.GetAlerts()));

            m.Allocate("p2", 60, pin: true); // 71
            m.RecordAllocation("v", 9);      // 80: due; pins keep 50 out of reach: evict z only -> 73, just below 80; a new streak
            Assert.Equal("w=4, p2=60!, v=9", Describe(m));
            Assert.Equal(new[] { AlertType.CleanupTriggered, AlertType.CleanupFailed }, Types(m.GetAlerts()));
        }

        [Fact]
        public void A_full_monitor_does_not_evict_on_every_call()
        {
            StateMonitor m = Monitor(state: 1000, value: 100, entries: 1000, threshold: 0.8, target: 0.5);
            int runs = 0;
            m.AlertRaised += (_, e) => { if (e.Alert.Type == AlertType.CleanupTriggered) { runs++; } };
            for (int i = 0; i < 1000; i++)
            {
                m.RecordAllocation("k" + i, 10);
            }

            // 10 000 bytes added, every run frees 300 (800 -> 500): 31 runs, ending at 700.
            Assert.Equal(31, runs);
            Assert.Equal(700, m.CurrentSize);
            Assert.Equal(930, m.GetStats().TotalEvictions);
        }

        [Fact]
        public void Eviction_order_follows_access_not_insertion()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.5);
            List<string> evictions = RecordEvictions(m);
            m.RecordAllocation("a", 20);
            m.RecordAllocation("b", 20);
            m.RecordAllocation("c", 20);
            m.RecordAccess("a");
            m.RecordAllocation("b", 20); // replace: b becomes MRU; order c, a, b
            m.RecordAllocation("d", 20); // 80: evict c, a -> 40
            Assert.Equal(new[] { "c:Threshold", "a:Threshold" }, evictions);
            Assert.Equal(new[] { "b", "d" }, Keys(m));
        }
    }
}
