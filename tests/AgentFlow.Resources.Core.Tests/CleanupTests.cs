using System;
using System.Collections.Generic;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public abstract class CleanupTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        private static StateMonitor Filled(string name = "clean")
        {
            StateMonitor m = Monitor(state: 200, value: 100, auto: false, name: name);
            m.RecordAllocation("a", 10);
            m.RecordAllocation("b", 20);
            m.RecordAllocation("c", 30);
            m.RecordAllocation("d", 40);
            m.GetAlerts();
            return m;
        }

        [Fact]
        public void Cleanup_evicts_least_recently_used_entries_down_to_the_target()
        {
            StateMonitor m = Filled();
            List<string> evictions = RecordEvictions(m);
            CleanupResult r = m.Cleanup(0.25); // target 50 bytes of 200

            Assert.Equal(60, r.BytesFreed);
            Assert.Equal(3, r.EntriesRemoved);
            Assert.Equal(new[] { "a=10", "b=20", "c=30" }, r.Evicted.Select(Describe));
            Assert.All(r.Evicted, e => Assert.Equal("clean", e.MonitorName));
            Assert.True(r.TargetReached);
            Assert.Equal(0.25, r.TargetPercentage);
            Assert.Equal(50, r.TargetBytes);
            Assert.Equal(100, r.SizeBefore);
            Assert.Equal(40, r.SizeAfter);
            Assert.Equal(0, r.PinnedSize);
            Assert.Equal("clean", r.MonitorName);
            Assert.Equal("d=40", Describe(m));
            Assert.Equal(new[] { "a:Manual", "b:Manual", "c:Manual" }, evictions);
            AssertCleanupTriggered(Assert.Single(m.GetAlerts()), 60, 3, automatic: false);
            ResourceStats s = m.GetStats();
            Assert.Equal(3, s.TotalEvictions);
            Assert.Equal(60, s.EvictedBytes);

            var (freed, removed) = r;
            Assert.Equal(60, freed);
            Assert.Equal(3, removed);
            Assert.Equal("Freed 60 B by evicting 3 entries; 40 B resident, target 50 B reached.", r.ToString());
        }

        [Fact]
        public void Cleanup_at_or_below_the_target_does_nothing()
        {
            StateMonitor m = Filled();
            string before = Fingerprint(m);
            CleanupResult r = m.Cleanup(0.5); // exactly 100 of 200
            Assert.Equal(0, r.BytesFreed);
            Assert.Equal(0, r.EntriesRemoved);
            Assert.Empty(r.Evicted);
            Assert.True(r.TargetReached);
            Assert.Equal(before, Fingerprint(m));
            Assert.Empty(m.GetAlerts());

            Assert.Equal(0, m.Cleanup(1).EntriesRemoved);
        }

        [Fact]
        public void Cleanup_to_zero_evicts_every_unpinned_entry()
        {
            StateMonitor m = Filled();
            CleanupResult r = m.Cleanup(0);
            Assert.Equal(100, r.BytesFreed);
            Assert.Equal(4, r.EntriesRemoved);
            Assert.True(r.TargetReached);
            Assert.Equal(0, m.CurrentSize);
            Assert.Equal(0, m.ValueCount);
            Assert.Equal(new[] { AlertType.CleanupTriggered }, Types(m.GetAlerts()));
        }

        [Fact]
        public void Pins_that_keep_usage_above_the_target_raise_CleanupFailed()
        {
            StateMonitor m = Filled();
            m.Pin("c");
            m.Pin("d");
            CleanupResult r = m.Cleanup(0.1); // target 20: evict a, b -> 70, pinned c + d
            Assert.Equal(30, r.BytesFreed);
            Assert.Equal(new[] { "a", "b" }, r.Evicted.Select(e => e.Key));
            Assert.False(r.TargetReached);
            Assert.Equal(70, r.SizeAfter);
            Assert.Equal(70, r.PinnedSize);
            Assert.Equal(2, r.PinnedCount);
            Assert.Equal("Freed 30 B by evicting 2 entries; 70 B resident, target 20 B not reached.", r.ToString());

            var alerts = m.GetAlerts();
            Assert.Equal(new[] { AlertType.CleanupTriggered, AlertType.CleanupFailed }, Types(alerts));
            AssertCleanupTriggered(alerts[0], 30, 2, automatic: false);
            var failed = Assert.IsType<CleanupFailedAlert>(alerts[1]);
            Assert.Equal("Cleanup to 10 % (20 B) stopped at 70 B: 70 B is pinned in 2 entries.", failed.Reason);
            Assert.Equal(failed.Reason, failed.Message);
            Assert.Equal("[clean] " + failed.Reason, failed.ToString());
        }

        [Fact]
        public void Only_pinned_entries_left_raises_CleanupFailed_without_CleanupTriggered()
        {
            StateMonitor m = Monitor(auto: false);
            m.Allocate("p", 40, pin: true);
            CleanupResult r = m.Cleanup(0.1);
            Assert.Equal(0, r.EntriesRemoved);
            Assert.False(r.TargetReached);
            Assert.Equal(new[] { AlertType.CleanupFailed }, Types(m.GetAlerts()));
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(0.1)]
        [InlineData(0.2)]
        [InlineData(0.25)]
        [InlineData(0.3333)]
        [InlineData(0.45)]
        [InlineData(0.5)]
        [InlineData(1.0)]
        public void PlanCleanup_is_exactly_what_Cleanup_then_does(double target)
        {
            StateMonitor m = Filled();
            m.Pin("b");
            m.RecordAccess("a"); // c, d, a plus pinned b
            string before = Fingerprint(m);

            CleanupPlan plan = m.PlanCleanup(target);
            Assert.Equal(before, Fingerprint(m)); // planning evicts nothing and raises nothing

            CleanupResult result = m.Cleanup(target);
            Assert.Equal(plan.Candidates.Select(Describe), result.Evicted.Select(Describe));
            Assert.Equal(plan.BytesToFree, result.BytesFreed);
            Assert.Equal(plan.SizeBefore, result.SizeBefore);
            Assert.Equal(plan.SizeAfter, result.SizeAfter);
            Assert.Equal(plan.TargetBytes, result.TargetBytes);
            Assert.Equal(plan.TargetReached, result.TargetReached);
            Assert.Equal(plan.PinnedSize, result.PinnedSize);
            Assert.Equal(plan.PinnedCount, result.PinnedCount);
        }

        [Fact]
        public void PlanCleanup_describes_itself()
        {
            StateMonitor m = Filled();
            m.Pin("d");
            CleanupPlan plan = m.PlanCleanup(0.1);
            Assert.Equal(new[] { "a", "b", "c" }, plan.Candidates.Select(c => c.Key));
            Assert.Equal(60, plan.BytesToFree);
            Assert.Equal(20, plan.TargetBytes);
            Assert.False(plan.TargetReached);
            Assert.Equal("Would free 60 B by evicting 3 entries, down to 40 B (target 20 B, not reachable: 40 B pinned).", plan.ToString());
            Assert.Equal("Would free 30 B by evicting 2 entries, down to 70 B (target 75 B).", m.PlanCleanup(0.375).ToString());
            Assert.Equal("Would free 10 B by evicting 1 entry, down to 90 B (target 90 B).", m.PlanCleanup(0.45).ToString());
            Assert.Equal("Freed 10 B by evicting 1 entry; 90 B resident, target 90 B reached.", m.Cleanup(0.45).ToString());
        }

        [Fact]
        public void The_target_bytes_are_the_floor_of_the_fraction()
        {
            StateMonitor m = Monitor(state: 1000, value: 1000, auto: false);
            for (int i = 0; i < 10; i++)
            {
                m.RecordAllocation("k" + i, 100);
            }

            CleanupResult r = m.Cleanup(0.3333); // 333 bytes: evict 7 entries to reach 300
            Assert.Equal(333, r.TargetBytes);
            Assert.Equal(7, r.EntriesRemoved);
            Assert.Equal(300, m.CurrentSize);
        }

        [Fact]
        public void Manual_cleanup_below_the_threshold_rearms_the_warning()
        {
            StateMonitor m = Monitor(state: 100, value: 60, auto: false);
            m.RecordAllocation("a", 50);
            m.RecordAllocation("b", 40);
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.StateSize, 90, 100);
            m.Cleanup(0.5); // evict a -> 40
            Assert.Equal(new[] { AlertType.CleanupTriggered }, Types(m.GetAlerts()));
            m.RecordAllocation("c", 45); // 85 again
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.StateSize, 85, 100);
        }

        [Fact]
        public void Cleanup_above_the_threshold_raises_no_new_warning()
        {
            StateMonitor m = Monitor(state: 100, value: 60, auto: false);
            m.RecordAllocation("a", 5);
            m.RecordAllocation("b", 45);
            m.RecordAllocation("c", 45);
            m.GetAlerts();
            m.Cleanup(0.9); // 95 -> evict a -> 90: still above 80
            Assert.Equal(new[] { AlertType.CleanupTriggered }, Types(m.GetAlerts()));
        }

        [Fact]
        public void Cleanup_of_many_entries_counts_exactly()
        {
            StateMonitor m = Monitor(state: 1_000_000, value: 1000, entries: 100_000, auto: false);
            for (int i = 0; i < 10_000; i++)
            {
                m.RecordAllocation("k" + i, 10);
            }

            CleanupResult r = m.Cleanup(0.05); // 100 000 -> 50 000
            Assert.Equal(5000, r.EntriesRemoved);
            Assert.Equal(50_000, r.BytesFreed);
            Assert.Equal("k0", r.Evicted[0].Key);
            Assert.Equal("k4999", r.Evicted[^1].Key);
            Assert.Equal("k5000", m.GetLruKeys(1)[0]);
        }

        [Fact]
        public void Cleanup_cost_follows_the_entries_evicted_not_the_size_of_the_map()
        {
            // No timing: a sort or copy of the whole map would allocate megabytes; evicting one entry allocates a few objects.
            Monitor(auto: false).Cleanup(0); // warm-up of the code paths
            StateMonitor m = Monitor(state: 10_000_000, value: 1000, entries: 200_000, auto: false);
            // In runs, as a piped Add-Allocation records them: one round trip per run for a shared store.
            for (int run = 0; run < 100; run++)
            {
                var requests = new AllocationRequest[1000];
                for (int i = 0; i < requests.Length; i++)
                {
                    requests[i] = new AllocationRequest("k" + (run * 1000 + i), 10);
                }

                Assert.All(m.AllocateMany(requests), result => Assert.True(result.Recorded));
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            CleanupPlan plan = m.PlanCleanup(0.0999995); // 999 995 bytes: one entry of 10 must go
            long planned = GC.GetAllocatedBytesForCurrentThread() - before;

            before = GC.GetAllocatedBytesForCurrentThread();
            CleanupResult r = m.Cleanup(0.0999995);
            long cleaned = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Single(plan.Candidates);
            Assert.Equal(1, r.EntriesRemoved);
            Assert.Equal("k0", r.Evicted[0].Key);
            Assert.InRange(planned, 0, 16 * 1024);
            Assert.InRange(cleaned, 0, 16 * 1024);
        }

        [Fact]
        public void Cleanup_to_one_hundred_percent_of_the_largest_state_evicts_nothing()
        {
            StateMonitor m = Monitor(state: long.MaxValue, value: 1000, auto: false);
            m.RecordAllocation("a", 10);
            CleanupResult r = m.Cleanup(1.0);
            Assert.Equal(long.MaxValue, r.TargetBytes);
            Assert.Equal(0, r.EntriesRemoved);
            Assert.True(r.TargetReached);
            Assert.Equal(long.MaxValue, m.PlanCleanup(1.0).TargetBytes);
            Assert.Empty(m.GetAlerts());
        }
    }
}
