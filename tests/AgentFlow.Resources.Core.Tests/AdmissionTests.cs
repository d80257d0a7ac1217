using AgentFlow.Resources;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// The admission rules directly, at their boundaries: every field of the decision, exactly, for a limit met
    /// exactly and missed by one byte or one entry, for replaces, pins and sums near long.MaxValue.
    /// </summary>
    public class AdmissionTests
    {
        // 100 B, 20 B per value, 5 entries; streaming (when on) in 8 B chunks.
        private static ResourceLimits Limits(bool auto = true, bool streaming = false) =>
            TestSupport.Limits(state: 100, value: 20, entries: 5, threshold: 0.8, target: 0.5, auto: auto, streaming: streaming, chunk: 8);

        private static StoreCounters Counters(long size, long count, long pinnedSize = 0, long pinnedCount = 0) =>
            new StoreCounters { CurrentSize = size, ValueCount = count, PinnedSize = pinnedSize, PinnedCount = pinnedCount };

        private static void AssertAdmitted(Admission a, long charge, bool streamed)
        {
            Assert.Equal(AdmissionVerdict.Admit, a.Verdict);
            Assert.Equal(charge, a.Charge);
            Assert.Equal(streamed, a.IsStreamed);
            Assert.False(a.CleanupCannotHelp);
            Assert.Equal(0, a.EvictToBytes);
            Assert.Equal(0, a.EvictToCount);
        }

        private static void AssertRejected(Admission a, LimitedResource resource, long attempted, long limit, bool cleanupCannotHelp, long keptBytes = 0, long keptCount = 0)
        {
            Assert.Equal(AdmissionVerdict.Reject, a.Verdict);
            Assert.Equal(resource, a.RejectedResource);
            Assert.Equal(attempted, a.AttemptedValue);
            Assert.Equal(limit, a.Limit);
            Assert.Equal(cleanupCannotHelp, a.CleanupCannotHelp);
            Assert.Equal(keptBytes, a.KeptBytes);
            Assert.Equal(keptCount, a.KeptCount);
            Assert.False(a.IsStreamed);
            AllocationResult result = a.ToRejectedResult();
            Assert.False(result.Recorded);
            Assert.Equal(resource, result.RejectedResource);
            Assert.Equal(attempted, result.AttemptedValue);
            Assert.Equal(limit, result.Limit);
        }

        [Fact]
        public void A_value_over_its_limit_is_rejected_before_anything_else_unless_streamed()
        {
            StoreCounters empty = Counters(0, 0);
            AssertRejected(Admission.Decide(Limits(), empty, 21, false, 0, false), LimitedResource.ValueSize, 21, 20, cleanupCannotHelp: false);
            Assert.Equal(21, Admission.Decide(Limits(), empty, 21, false, 0, false).Charge);
            AssertAdmitted(Admission.Decide(Limits(), empty, 20, false, 0, false), 20, streamed: false);

            // Streaming on: the larger value is admitted as one chunk; a value at the limit is not streamed.
            AssertAdmitted(Admission.Decide(Limits(streaming: true), empty, 21, false, 0, false), 8, streamed: true);
            AssertAdmitted(Admission.Decide(Limits(streaming: true), empty, 20, false, 0, false), 20, streamed: false);
        }

        [Fact]
        public void The_state_limit_is_met_exactly_and_missed_by_one_byte()
        {
            AssertAdmitted(Admission.Decide(Limits(auto: false), Counters(80, 1), 20, false, 0, false), 20, streamed: false);
            AssertRejected(Admission.Decide(Limits(auto: false), Counters(81, 1), 20, false, 0, false), LimitedResource.StateSize, 101, 100, cleanupCannotHelp: false);
        }

        [Fact]
        public void The_entry_limit_is_met_exactly_and_missed_by_one_entry_and_a_replace_adds_none()
        {
            AssertAdmitted(Admission.Decide(Limits(auto: false), Counters(10, 4), 1, false, 0, false), 1, streamed: false);
            AssertRejected(Admission.Decide(Limits(auto: false), Counters(10, 5), 1, false, 0, false), LimitedResource.CacheEntries, 6, 5, cleanupCannotHelp: false);
            AssertAdmitted(Admission.Decide(Limits(auto: false), Counters(10, 5), 1, true, 2, false), 1, streamed: false);
        }

        [Fact]
        public void A_replace_counts_only_the_change_against_the_state_limit()
        {
            // 95 B held, 15 of them by the key: replacing it by 20 B makes 100 B (fits), by 20 B at 96 B held does not.
            AssertAdmitted(Admission.Decide(Limits(auto: false), Counters(95, 3), 20, true, 15, false), 20, streamed: false);
            AssertRejected(Admission.Decide(Limits(auto: false), Counters(96, 3), 20, true, 15, false), LimitedResource.StateSize, 101, 100, cleanupCannotHelp: false);
        }

        [Fact]
        public void When_both_limits_are_missed_the_state_limit_is_named()
        {
            AssertRejected(Admission.Decide(Limits(auto: false), Counters(90, 5), 11, false, 0, false), LimitedResource.StateSize, 101, 100, cleanupCannotHelp: false);
        }

        [Fact]
        public void With_automatic_cleanup_the_decision_is_to_evict_down_to_exact_bounds()
        {
            Admission a = Admission.Decide(Limits(), Counters(90, 3), 15, false, 0, false);
            Assert.Equal(AdmissionVerdict.EvictThenAdmit, a.Verdict);
            Assert.Equal(15, a.Charge);
            Assert.False(a.IsStreamed);
            Assert.Equal(85, a.EvictToBytes);   // 85 + 15 = 100
            Assert.Equal(4, a.EvictToCount);    // one entry is added
            Assert.False(a.CleanupCannotHelp);
            Assert.Equal(0, a.KeptBytes);
            Assert.Equal(0, a.KeptCount);

            // A replace of a 10 B entry by 15 B at 96 B: the entry's own charge is given back, and no entry is added.
            Admission replace = Admission.Decide(Limits(), Counters(96, 5), 15, true, 10, false);
            Assert.Equal(AdmissionVerdict.EvictThenAdmit, replace.Verdict);
            Assert.Equal(95, replace.EvictToBytes);
            Assert.Equal(5, replace.EvictToCount);

            // Over the entry limit only, with a streamed value: its chunk is what counts.
            Admission streamed = Admission.Decide(Limits(streaming: true), Counters(10, 5), 50, false, 0, false);
            Assert.Equal(AdmissionVerdict.EvictThenAdmit, streamed.Verdict);
            Assert.Equal(8, streamed.Charge);
            Assert.True(streamed.IsStreamed);
            Assert.Equal(92, streamed.EvictToBytes);
            Assert.Equal(4, streamed.EvictToCount);
        }

        [Fact]
        public void Pins_that_leave_exactly_room_allow_eviction_and_one_byte_more_does_not()
        {
            // 80 B pinned of 90 B: a 20 B value fits beside the pins exactly.
            Admission fits = Admission.Decide(Limits(), Counters(90, 3, pinnedSize: 80, pinnedCount: 2), 20, false, 0, false);
            Assert.Equal(AdmissionVerdict.EvictThenAdmit, fits.Verdict);
            Assert.Equal(80, fits.EvictToBytes);

            // 81 B pinned: even evicting every unpinned entry leaves 81 + 20 B.
            AssertRejected(
                Admission.Decide(Limits(), Counters(90, 3, pinnedSize: 81, pinnedCount: 2), 20, false, 0, false),
                LimitedResource.StateSize, 110, 100, cleanupCannotHelp: true, keptBytes: 101, keptCount: 3);
        }

        [Fact]
        public void Pinned_entries_that_fill_the_entry_limit_make_cleanup_useless()
        {
            // 4 pinned of 5 entries: the new one makes 5 that stay (fits); with 5 pinned it would make 6.
            Admission fits = Admission.Decide(Limits(), Counters(10, 5, pinnedSize: 8, pinnedCount: 4), 1, false, 0, false);
            Assert.Equal(AdmissionVerdict.EvictThenAdmit, fits.Verdict);
            Assert.Equal(4, fits.EvictToCount);

            AssertRejected(
                Admission.Decide(Limits(), Counters(10, 5, pinnedSize: 10, pinnedCount: 5), 1, false, 0, false),
                LimitedResource.CacheEntries, 6, 5, cleanupCannotHelp: true, keptBytes: 11, keptCount: 6);
        }

        [Fact]
        public void A_pinned_key_being_replaced_does_not_count_its_old_charge_among_what_stays()
        {
            // 95 B pinned in 3 entries, 15 of them the key itself: without it 80 B stay, and 20 B fit beside them.
            Admission a = Admission.Decide(Limits(), Counters(96, 4, pinnedSize: 95, pinnedCount: 3), 20, true, 15, keyPinned: true);
            Assert.Equal(AdmissionVerdict.EvictThenAdmit, a.Verdict);
            Assert.Equal(95, a.EvictToBytes);
            Assert.Equal(5, a.EvictToCount);

            // The key unpinned, beside 85 B of other pins: those stay, so nothing can make room for 20 B.
            AssertRejected(
                Admission.Decide(Limits(), Counters(100, 4, pinnedSize: 85, pinnedCount: 3), 20, true, 15, keyPinned: false),
                LimitedResource.StateSize, 105, 100, cleanupCannotHelp: true, keptBytes: 105, keptCount: 4);

            // Four pinned entries of five, one of them the key: replacing it keeps four, within the entry limit.
            Admission count = Admission.Decide(Limits(), Counters(96, 5, pinnedSize: 40, pinnedCount: 4), 15, true, 10, keyPinned: true);
            Assert.Equal(AdmissionVerdict.EvictThenAdmit, count.Verdict);
            Assert.Equal(95, count.EvictToBytes);
            Assert.Equal(5, count.EvictToCount);

            // Every entry pinned, the key among them: the four others and the new value stay (five, not six).
            AssertRejected(
                Admission.Decide(Limits(), Counters(100, 5, pinnedSize: 100, pinnedCount: 5), 11, true, 10, keyPinned: true),
                LimitedResource.StateSize, 101, 100, cleanupCannotHelp: true, keptBytes: 101, keptCount: 5);
        }

        [Fact]
        public void Sums_near_long_MaxValue_saturate_instead_of_wrapping()
        {
            ResourceLimits huge = ResourceLimits.Builder().MaxStateSize(long.MaxValue).MaxValueSize(long.MaxValue).MaxCacheEntries(10).AutoCleanup(false).Build();
            AssertAdmitted(Admission.Decide(huge, Counters(long.MaxValue - 5, 1), 5, false, 0, false), 5, streamed: false);
            AssertRejected(Admission.Decide(huge, Counters(long.MaxValue - 5, 1), 6, false, 0, false), LimitedResource.StateSize, long.MaxValue, long.MaxValue, cleanupCannotHelp: false);

            ResourceLimits hugeAuto = huge.ToBuilder().AutoCleanup(true).Build();
            Admission evict = Admission.Decide(hugeAuto, Counters(long.MaxValue, 2), long.MaxValue, true, long.MaxValue - 1, false);
            Assert.Equal(AdmissionVerdict.EvictThenAdmit, evict.Verdict);
            Assert.Equal(long.MaxValue - 1, evict.EvictToBytes); // (MaxValue - MaxValue) + the old charge

            AssertRejected(
                Admission.Decide(hugeAuto, Counters(long.MaxValue, 2, pinnedSize: long.MaxValue, pinnedCount: 1), 1, false, 0, false),
                LimitedResource.StateSize, long.MaxValue, long.MaxValue, cleanupCannotHelp: true, keptBytes: long.MaxValue, keptCount: 2);
        }
    }
}
