using System;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public abstract class FastMonitorTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        private static StateMonitor Fast(long state = 100, long value = 50, long entries = 10, bool streaming = false, long chunk = 10, bool auto = true, string? name = null) =>
            NewMonitor(Limits(state: state, value: value, entries: entries, streaming: streaming, chunk: chunk, auto: auto), name);

        [Fact]
        public void A_fast_monitor_says_so()
        {
            StateMonitor m = Fast(name: "fast");
            Assert.True(m.IsFast);
            Assert.True(m.GetStats().IsFast);
            Assert.Equal("fast", m.Name);
            Assert.False(TestSupport.Monitor().IsFast);
        }

        [Fact]
        public void Keys_are_not_deduplicated()
        {
            StateMonitor m = Fast();
            Assert.True(m.RecordAllocation("a", 10));
            AllocationResult r = m.Allocate("a", 15);
            Assert.True(r.Recorded);
            Assert.False(r.Replaced);
            Assert.Equal(25, m.CurrentSize);
            Assert.Equal(2, m.ValueCount);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Hard_limits_are_enforced(bool auto)
        {
            StateMonitor m = Fast(state: 100, value: 50, entries: 3, auto: auto);
            m.RecordAllocation("a", 50);
            m.RecordAllocation("b", 40);
            m.GetAlerts();

            AllocationResult r = m.Allocate("c", 11);
            Assert.False(r.Recorded);
            Assert.Equal(LimitedResource.StateSize, r.RejectedResource);
            AssertLimitExceeded(Assert.Single(m.GetAlerts()), LimitedResource.StateSize, 101, 100, "c");
            Assert.Equal(90, m.CurrentSize);
            Assert.Equal(2, m.ValueCount);

            Assert.True(m.RecordAllocation("c", 0));
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.CacheEntries, 3, 3); // ceiling(3 x 0.8) = 3 entries
            Assert.False(m.RecordAllocation("d", 1)); // 4 entries > 3
            AssertLimitExceeded(Assert.Single(m.GetAlerts()), LimitedResource.CacheEntries, 4, 3, "d");
            Assert.Equal(90, m.CurrentSize); // the bytes were not kept
            Assert.Equal(3, m.ValueCount);

            Assert.False(m.RecordAllocation("v", 51));
            AssertLimitExceeded(Assert.Single(m.GetAlerts()), LimitedResource.ValueSize, 51, 50, "v");
            Assert.Equal(3, m.GetStats().RejectedAllocations);
            Assert.Equal(0, m.GetStats().TotalEvictions);
        }

        [Fact]
        public void Streaming_charges_one_chunk()
        {
            StateMonitor m = Fast(state: 100, value: 20, streaming: true, chunk: 5);
            AllocationResult r = m.Allocate("s", 1000);
            Assert.True(r.Recorded);
            Assert.True(r.IsStreamed);
            Assert.Equal(5, r.ResidentSize);
            Assert.Equal(5, m.CurrentSize);
            ResourceStats s = m.GetStats();
            Assert.Equal(1, s.StreamedCount);
            Assert.Equal(1000, s.StreamedBytes);

            Assert.True(m.RecordDeallocation("s", 1000));
            s = m.GetStats();
            Assert.Equal(0, s.CurrentSize);
            Assert.Equal(0, s.StreamedCount);
            Assert.Equal(0, s.StreamedBytes);
        }

        [Fact]
        public void Deallocation_needs_the_size()
        {
            StateMonitor m = Fast();
            m.RecordAllocation("a", 30);
            string before = Fingerprint(m);
            Assert.False(m.RecordDeallocation("a"));
            Assert.Equal(before, Fingerprint(m));
            Assert.True(m.RecordDeallocation("a", 30));
            Assert.Equal(0, m.CurrentSize);
            Assert.Equal(0, m.ValueCount);
        }

        [Fact]
        public void Deallocation_below_zero_is_a_caller_error_that_changes_nothing()
        {
            StateMonitor m = Fast();
            m.RecordAllocation("a", 30);
            string before = Fingerprint(m);

            var bytes = Assert.Throws<ArgumentException>(() => m.RecordDeallocation("a", 31));
            Assert.Contains("below zero", bytes.Message);
            Assert.Contains("31", bytes.Message);
            Assert.Equal(before, Fingerprint(m));

            m.RecordDeallocation("a", 30);
            string empty = Fingerprint(m);
            var count = Assert.Throws<ArgumentException>(() => m.RecordDeallocation("a", 0));
            Assert.Contains("below zero", count.Message);
            Assert.Equal(empty, Fingerprint(m));
        }

        [Fact]
        public void Deallocating_a_streamed_size_that_was_never_streamed_is_refused()
        {
            StateMonitor m = Fast(state: 100, value: 20, streaming: true, chunk: 5);
            m.RecordAllocation("a", 10);
            m.RecordAllocation("b", 10);
            string before = Fingerprint(m);
            // a 1000-byte value would be streamed (5 resident): no streamed entry is held, so the streamed totals would go below zero.
            var ex = Assert.Throws<ArgumentException>(() => m.RecordDeallocation("x", 1000));
            Assert.Contains("streamed", ex.Message);
            Assert.Equal(before, Fingerprint(m));

            m.RecordAllocation("s", 30); // one streamed entry of 30 bytes
            before = Fingerprint(m);
            Assert.Throws<ArgumentException>(() => m.RecordDeallocation("s", 31)); // 31 streamed bytes: more than held
            Assert.Equal(before, Fingerprint(m));
            Assert.True(m.RecordDeallocation("s", 30));
            Assert.Equal(20, m.CurrentSize);
            Assert.Equal(0, m.GetStats().StreamedCount);
            Assert.Equal(0, m.GetStats().StreamedBytes);
        }

        [Fact]
        public void Per_key_operations_answer_false_or_empty()
        {
            StateMonitor m = Fast();
            m.RecordAllocation("a", 10);
            Assert.False(m.RecordAccess("a"));
            Assert.False(m.Pin("a"));
            Assert.False(m.Unpin("a"));
            Assert.False(m.TryGetAllocation("a", out AllocationEntry? e));
            Assert.Null(e);
            Assert.Empty(m.GetLruKeys(10));
            Assert.Empty(m.GetAllocations());
            AllocationResult pinned = m.Allocate("b", 10, pin: true);
            Assert.True(pinned.Recorded);
            Assert.Equal(0, m.GetStats().PinnedCount);
        }

        [Fact]
        public void Cleanup_throws_and_raises_CleanupFailed()
        {
            StateMonitor m = Fast(name: "f");
            m.RecordAllocation("a", 10);
            ResourceAlert? raised = null;
            m.AlertRaised += (_, a) => raised = a.Alert;
            string before = Fingerprint(m);

            var ex = Assert.Throws<InvalidOperationException>(() => m.Cleanup(0.5));
            Assert.Contains("fast monitors keep no per-key data, so they cannot clean up", ex.Message, StringComparison.OrdinalIgnoreCase);
            CleanupFailedAlert failed = Assert.IsType<CleanupFailedAlert>(Assert.Single(m.GetAlerts()));
            Assert.Equal(ex.Message, failed.Reason);
            Assert.Same(failed, raised);
            Assert.Equal(before, Fingerprint(m));

            Assert.Throws<InvalidOperationException>(() => m.PlanCleanup(0.5));
            Assert.Empty(m.GetAlerts());
        }

        [Fact]
        public void ApproachingLimit_is_edge_triggered_in_fast_mode_too()
        {
            StateMonitor m = Fast(state: 100, value: 50, entries: 100);
            m.RecordAllocation("a", 40);
            m.RecordAllocation("b", 40); // 80
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.StateSize, 80, 100);
            m.RecordAllocation("c", 10); // 90
            Assert.Empty(m.GetAlerts());
            m.RecordDeallocation("c", 10);
            m.RecordDeallocation("b", 40); // 40
            m.RecordAllocation("b", 45);   // 85
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.StateSize, 85, 100);
        }

        [Fact]
        public void Entry_warnings_in_fast_mode()
        {
            StateMonitor m = Fast(state: 1000, value: 10, entries: 5);
            for (int i = 0; i < 4; i++)
            {
                m.RecordAllocation("k", 1);
            }

            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.CacheEntries, 4, 5);
        }

        [Fact]
        public void Stats_and_reset()
        {
            StateMonitor m = Fast(state: 100, value: 50, entries: 10);
            m.RecordAllocation("a", 50);
            m.RecordAllocation("b", 40);
            m.RecordDeallocation("a", 50);
            m.RecordAllocation("c", 70);
            ResourceStats s = m.GetStats();
            Assert.Equal(40, s.CurrentSize);
            Assert.Equal(1, s.ValueCount);
            Assert.Equal(90, s.PeakSize);
            Assert.Equal(1, s.RejectedAllocations);
            Assert.Equal(0, s.PinnedSize);
            Assert.Equal(0, s.TotalEvictions);

            m.Reset();
            s = m.GetStats();
            Assert.Equal(0, s.CurrentSize);
            Assert.Equal(0, s.ValueCount);
            Assert.Equal(0, s.PeakSize);
            Assert.Equal(0, s.RejectedAllocations);
            Assert.Empty(m.PeekAlerts());
            Assert.True(m.RecordAllocation("a", 50));
            Assert.True(m.RecordAllocation("b", 50));
            Assert.Equal(100, m.CurrentSize);
        }

        [Fact]
        public void StreamedBytes_saturates_at_long_MaxValue_and_stays_exact_after_deallocations()
        {
            StateMonitor m = Fast(state: 100, value: 20, streaming: true, chunk: 5);
            Assert.True(m.RecordAllocation("a", long.MaxValue));
            Assert.True(m.RecordAllocation("b", long.MaxValue));
            Assert.True(m.RecordAllocation("c", 100));
            Assert.Equal(long.MaxValue, m.GetStats().StreamedBytes);
            Assert.True(m.RecordDeallocation("a", long.MaxValue));
            Assert.Equal(long.MaxValue, m.GetStats().StreamedBytes);
            Assert.True(m.RecordDeallocation("b", long.MaxValue));
            Assert.Equal(100, m.GetStats().StreamedBytes);
            Assert.Throws<ArgumentException>(() => m.RecordDeallocation("c", 101)); // more streamed bytes than held
            Assert.True(m.RecordDeallocation("c", 100));
            Assert.Equal(0, m.GetStats().StreamedBytes);
        }
    }
}
