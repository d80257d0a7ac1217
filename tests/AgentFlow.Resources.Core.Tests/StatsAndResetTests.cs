using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public abstract class StatsAndResetTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        private static StateMonitor Busy()
        {
            // bytes: due at 80, target 50; streaming in 5-byte chunks over 20
            StateMonitor m = Monitor(state: 100, value: 20, entries: 10, threshold: 0.8, target: 0.5, streaming: true, chunk: 5, name: "busy", maxAlerts: 2);
            m.Allocate("p", 20, pin: true);   // 20
            m.RecordAllocation("s", 400);     // streamed, 5 -> 25
            m.RecordAllocation("a", 20);      // 45
            m.RecordAllocation("b", 20);      // 65
            m.RecordAllocation("c", 20);      // 85: due; evict s (5), a (20) -> 60, b (20) -> 40
            m.RecordAllocation("x", 25);      // streamed (5) -> 45
            m.RecordAllocation("d", 20);      // 65
            m.Cleanup(0.1);                   // target 10: evict c (20) -> 45, x (5) -> 40, d (20) -> 20; p is pinned: CleanupFailed
            m.RecordAllocation("q", 0);       // 20
            m.RecordAllocation("big", 9);     // 29
            m.Allocate("big", 19);            // 39
            return m;
        }

        [Fact]
        public void Stats_report_every_field_exactly()
        {
            StateMonitor m = Busy();
            Assert.Equal("p=20!, q=0, big=19", Describe(m));
            ResourceStats s = m.GetStats();
            Assert.Equal("busy", s.MonitorName);
            Assert.False(s.IsFast);
            Assert.Equal(39, s.CurrentSize);
            Assert.Equal(100, s.MaxStateSize);
            Assert.Equal(0.39, s.UsagePercentage);
            Assert.Equal(3, s.ValueCount);
            Assert.Equal(10, s.MaxCacheEntries);
            Assert.Equal(0.3, s.EntryUsagePercentage);
            Assert.Equal(80, s.CleanupThresholdBytes);
            Assert.False(s.ShouldCleanup);
            Assert.Equal(85, s.PeakSize);
            Assert.Equal(20, s.PinnedSize);
            Assert.Equal(1, s.PinnedCount);
            Assert.Equal(0, s.StreamedCount);
            Assert.Equal(0, s.StreamedBytes);
            Assert.Equal(6, s.TotalEvictions);
            Assert.Equal(5 + 20 + 20 + 20 + 5 + 20, s.EvictedBytes);
            Assert.Equal(0, s.RejectedAllocations);
            Assert.Equal(1, s.AlertsDropped); // three alerts (two CleanupTriggered, one CleanupFailed) into a queue of two
            Assert.Equal(0, s.EventHandlerErrors);
            Assert.Equal("busy: 39 B of 100 B (39.0 %), 3 of 10 entries", s.ToString());
            Assert.Equal(s.ToString(), m.ToString());
            Assert.Equal(s.CurrentSize, m.CurrentSize);
            Assert.Equal(s.ValueCount, m.ValueCount);
            Assert.Equal(s.UsagePercentage, m.UsagePercentage);
            Assert.Equal(s.ShouldCleanup, m.ShouldCleanup);
        }

        [Fact]
        public void Streamed_stats_count_full_sizes()
        {
            StateMonitor m = Monitor(state: 100, value: 20, streaming: true, chunk: 5, auto: false);
            m.RecordAllocation("s1", 100);
            m.RecordAllocation("s2", 21);
            m.RecordAllocation("r", 20);
            ResourceStats s = m.GetStats();
            Assert.Equal(2, s.StreamedCount);
            Assert.Equal(121, s.StreamedBytes);
            Assert.Equal(30, s.CurrentSize);
        }

        [Fact]
        public void ShouldCleanup_follows_the_threshold_bytes()
        {
            StateMonitor m = Monitor(state: 100, value: 100, auto: false);
            m.RecordAllocation("a", 79);
            Assert.False(m.ShouldCleanup);
            Assert.False(m.GetStats().ShouldCleanup);
            m.RecordAllocation("b", 1);
            Assert.True(m.ShouldCleanup);
            Assert.True(m.GetStats().ShouldCleanup);
        }

        [Fact]
        public void Reset_forgets_everything()
        {
            StateMonitor m = Busy();
            m.Evicted += (_, _) => throw new System.Exception("x");
            m.RecordAllocation("e1", 20);
            m.RecordAllocation("e2", 20); // 79
            m.RecordAllocation("e3", 20); // 99: due -> evicts, handler throws
            Assert.True(m.GetStats().EventHandlerErrors > 0);

            m.Reset();
            ResourceStats s = m.GetStats();
            Assert.Equal(0, s.CurrentSize);
            Assert.Equal(0, s.ValueCount);
            Assert.Equal(0, s.PeakSize);
            Assert.Equal(0, s.PinnedSize);
            Assert.Equal(0, s.PinnedCount);
            Assert.Equal(0, s.StreamedCount);
            Assert.Equal(0, s.StreamedBytes);
            Assert.Equal(0, s.TotalEvictions);
            Assert.Equal(0, s.EvictedBytes);
            Assert.Equal(0, s.RejectedAllocations);
            Assert.Equal(0, s.AlertsDropped);
            Assert.Equal(0, s.EventHandlerErrors);
            Assert.Empty(m.PeekAlerts());
            Assert.Empty(m.GetAllocations());
            Assert.Empty(m.GetLruKeys(10));
            Assert.False(m.TryGetAllocation("p", out _));
            Assert.False(m.RecordDeallocation("p"));
            Assert.Equal("busy", m.Name);
        }

        [Fact]
        public void A_reset_monitor_works_like_a_new_one()
        {
            StateMonitor m = Monitor(state: 100, value: 100, auto: false);
            m.RecordAllocation("a", 90); // warning raised, flag set
            m.Reset();
            m.RecordAllocation("a", 85); // warns again: the reset re-armed it
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.StateSize, 85, 100);
            m.RecordAllocation("b", 5);
            m.RecordAllocation("c", 5);
            Assert.Equal(new[] { "a", "b", "c" }, m.GetLruKeys(5));
            Assert.Equal(95, m.GetStats().PeakSize);
        }

        [Fact]
        public void Reset_re_arms_the_entry_count_warning()
        {
            StateMonitor m = Monitor(state: 1000, value: 10, entries: 5, threshold: 0.8, auto: false);
            for (int i = 0; i < 4; i++)
            {
                m.RecordAllocation("k" + i, 1);
            }

            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.CacheEntries, 4, 5);
            m.Reset();
            for (int i = 0; i < 4; i++)
            {
                m.RecordAllocation("k" + i, 1);
            }

            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.CacheEntries, 4, 5); // armed again
        }

        [Fact]
        public void The_smallest_alert_queue_keeps_the_newest_alert_and_counts_the_rest()
        {
            StateMonitor m = Monitor(state: 100, value: 10, entries: 100, auto: false, maxAlerts: 1);
            Assert.Equal(1, m.MaxAlerts);
            Assert.False(m.RecordAllocation("a", 11));
            Assert.False(m.RecordAllocation("b", 12));
            Assert.False(m.RecordAllocation("c", 13));
            AssertLimitExceeded(Assert.Single(m.PeekAlerts()), LimitedResource.ValueSize, 13, 10, "c");
            Assert.Equal(2, m.GetStats().AlertsDropped);
        }
    }
}
