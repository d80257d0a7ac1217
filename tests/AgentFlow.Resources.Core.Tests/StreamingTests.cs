using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public abstract class StreamingTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        private static StateMonitor StreamingMonitor(bool auto = false) =>
            Monitor(state: 100, value: 20, entries: 100, threshold: 0.8, target: 0.5, auto: auto, streaming: true, chunk: 5);

        [Fact]
        public void A_value_over_MaxValueSize_is_streamed_and_charged_one_chunk()
        {
            StateMonitor m = StreamingMonitor();
            AllocationResult r = m.Allocate("big", 500);
            Assert.True(r.Recorded);
            Assert.True(r.IsStreamed);
            Assert.Equal(5, r.ResidentSize);
            Assert.Equal(5, m.CurrentSize);
            Assert.Equal(1, m.ValueCount);
            Assert.True(m.TryGetAllocation("big", out AllocationEntry? e));
            Assert.Equal(500, e!.Size);
            Assert.Equal(5, e.ResidentSize);
            Assert.True(e.IsStreamed);
            ResourceStats s = m.GetStats();
            Assert.Equal(1, s.StreamedCount);
            Assert.Equal(500, s.StreamedBytes);
            Assert.Empty(m.GetAlerts());
        }

        [Fact]
        public void Exactly_MaxValueSize_is_not_streamed()
        {
            StateMonitor m = StreamingMonitor();
            AllocationResult r = m.Allocate("edge", 20);
            Assert.False(r.IsStreamed);
            Assert.Equal(20, m.CurrentSize);
            Assert.Equal(0, m.GetStats().StreamedCount);
            Assert.True(m.Allocate("over", 21).IsStreamed);
            Assert.Equal(25, m.CurrentSize);
            Assert.Equal(21, m.GetStats().StreamedBytes);
        }

        [Fact]
        public void The_charge_is_the_smaller_of_size_and_chunk_when_the_chunk_is_the_value_limit()
        {
            StateMonitor m = Monitor(state: 100, value: 20, streaming: true, chunk: 20, auto: false);
            m.RecordAllocation("s", 21);
            Assert.Equal(20, m.CurrentSize);
            Assert.Equal("s=21/20~", Describe(m));
        }

        [Fact]
        public void Replacing_between_streamed_and_resident_moves_the_counters()
        {
            StateMonitor m = StreamingMonitor();
            m.RecordAllocation("x", 10);
            m.RecordAllocation("x", 300); // becomes streamed
            Assert.Equal(5, m.CurrentSize);
            Assert.Equal(1, m.GetStats().StreamedCount);
            Assert.Equal(300, m.GetStats().StreamedBytes);
            m.RecordAllocation("x", 400); // streamed again, bigger
            Assert.Equal(5, m.CurrentSize);
            Assert.Equal(1, m.GetStats().StreamedCount);
            Assert.Equal(400, m.GetStats().StreamedBytes);
            m.RecordAllocation("x", 12); // resident again
            Assert.Equal(12, m.CurrentSize);
            Assert.Equal(0, m.GetStats().StreamedCount);
            Assert.Equal(0, m.GetStats().StreamedBytes);
            Assert.Equal("x=12", Describe(m));
        }

        [Fact]
        public void Deallocating_a_streamed_entry_clears_its_counters()
        {
            StateMonitor m = StreamingMonitor();
            m.RecordAllocation("a", 100);
            m.RecordAllocation("b", 200);
            m.RecordAllocation("c", 3);
            Assert.Equal(13, m.CurrentSize);
            Assert.Equal(2, m.GetStats().StreamedCount);
            Assert.Equal(300, m.GetStats().StreamedBytes);
            m.RecordDeallocation("a");
            Assert.Equal(8, m.CurrentSize);
            Assert.Equal(1, m.GetStats().StreamedCount);
            Assert.Equal(200, m.GetStats().StreamedBytes);
        }

        [Fact]
        public void Streamed_entries_are_evicted_for_their_resident_charge()
        {
            StateMonitor m = StreamingMonitor();
            m.RecordAllocation("s1", 1000);
            m.RecordAllocation("s2", 2000);
            m.RecordAllocation("r", 20);
            CleanupResult r = m.Cleanup(0.2); // 30 -> target 20: evict s1 (5), s2 (5)
            Assert.Equal(10, r.BytesFreed);
            Assert.Equal(2, r.EntriesRemoved);
            Assert.Equal("s1=1000/5~", Describe(r.Evicted[0]));
            ResourceStats s = m.GetStats();
            Assert.Equal(10, s.EvictedBytes);
            Assert.Equal(0, s.StreamedCount);
            Assert.Equal(0, s.StreamedBytes);
            AssertCleanupTriggered(Assert.Single(m.GetAlerts()), 10, 2, automatic: false);
        }

        [Fact]
        public void Streamed_entries_count_against_the_entry_limit()
        {
            StateMonitor m = Monitor(state: 100, value: 20, entries: 2, streaming: true, chunk: 5, auto: false);
            Assert.True(m.RecordAllocation("a", 50));
            Assert.True(m.RecordAllocation("b", 60));
            Assert.False(m.RecordAllocation("c", 70));
            AssertLimitExceeded(Assert.Single(m.GetAlerts(AlertType.LimitExceeded)), LimitedResource.CacheEntries, 3, 2, "c");
        }

        [Fact]
        public void Streamed_entries_can_be_pinned()
        {
            StateMonitor m = StreamingMonitor();
            m.Allocate("s", 1000, pin: true);
            ResourceStats s = m.GetStats();
            Assert.Equal(5, s.PinnedSize);
            Assert.Equal(1, s.PinnedCount);
            Assert.Equal(1000, s.StreamedBytes);
        }

        [Fact]
        public void Many_streamed_values_fit_where_resident_ones_would_not()
        {
            StateMonitor m = StreamingMonitor(auto: false);
            for (int i = 0; i < 20; i++)
            {
                Assert.True(m.RecordAllocation("s" + i, 1000));
            }

            Assert.Equal(100, m.CurrentSize);
            Assert.Equal(20_000, m.GetStats().StreamedBytes);
            Assert.False(m.RecordAllocation("one-more", 1000)); // 105 > 100
            AssertLimitExceeded(m.GetAlerts()[^1], LimitedResource.StateSize, 105, 100, "one-more");
        }

        [Fact]
        public void Streaming_preset_streams_in_five_MiB_chunks()
        {
            var m = NewMonitor(ResourceLimits.FromPreset(LimitsPreset.Streaming));
            Assert.True(m.RecordAllocation("video", 2L * 1024 * MiB));
            Assert.Equal(5 * MiB, m.CurrentSize);
            Assert.Equal(2L * 1024 * MiB, m.GetStats().StreamedBytes);
        }

        [Fact]
        public void StreamedBytes_saturates_at_long_MaxValue_and_stays_exact_after_removals()
        {
            StateMonitor m = StreamingMonitor();
            Assert.True(m.RecordAllocation("a", long.MaxValue));
            Assert.True(m.RecordAllocation("b", long.MaxValue));
            Assert.True(m.RecordAllocation("c", 100));
            Assert.Equal(long.MaxValue, m.GetStats().StreamedBytes); // the sum is past long.MaxValue: it saturates, never wraps
            Assert.Equal(3, m.GetStats().StreamedCount);

            Assert.True(m.RecordDeallocation("a"));
            Assert.Equal(long.MaxValue, m.GetStats().StreamedBytes); // still past long.MaxValue (by 100 bytes)
            Assert.True(m.RecordDeallocation("b"));
            Assert.Equal(100, m.GetStats().StreamedBytes); // exact again once the sum fits
            Assert.True(m.RecordAllocation("b", long.MaxValue));
            Assert.True(m.RecordAllocation("b", 50)); // replaced by a smaller streamed value
            Assert.Equal(150, m.GetStats().StreamedBytes);
        }
    }
}
