using System;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public abstract class AllocationTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        [Fact]
        public void Recording_adds_an_entry()
        {
            StateMonitor m = Monitor(name: "alloc");
            Assert.True(m.RecordAllocation("a", 30));
            Assert.Equal(30, m.CurrentSize);
            Assert.Equal(1, m.ValueCount);
            Assert.Equal(0.3, m.UsagePercentage);
            Assert.True(m.TryGetAllocation("a", out AllocationEntry? e));
            Assert.NotNull(e);
            Assert.Equal("alloc", e!.MonitorName);
            Assert.Equal("a", e.Key);
            Assert.Equal(30, e.Size);
            Assert.Equal(30, e.ResidentSize);
            Assert.False(e.IsPinned);
            Assert.False(e.IsStreamed);
            Assert.Empty(m.GetAlerts());
        }

        [Fact]
        public void Allocate_reports_what_happened()
        {
            StateMonitor m = Monitor();
            AllocationResult added = m.Allocate("a", 30);
            Assert.True(added.Recorded);
            Assert.False(added.Replaced);
            Assert.False(added.IsStreamed);
            Assert.Equal(30, added.ResidentSize);
            Assert.Equal(0, added.EntriesEvicted);

            AllocationResult replaced = m.Allocate("a", 20);
            Assert.True(replaced.Recorded);
            Assert.True(replaced.Replaced);
            Assert.Equal(20, replaced.ResidentSize);
        }

        [Fact]
        public void Replacing_applies_the_difference_and_keeps_one_entry()
        {
            StateMonitor m = Monitor();
            m.RecordAllocation("a", 10);
            m.RecordAllocation("b", 20);
            Assert.True(m.RecordAllocation("a", 45));
            Assert.Equal(65, m.CurrentSize);
            Assert.Equal(2, m.ValueCount);
            Assert.True(m.RecordAllocation("a", 5));
            Assert.Equal(25, m.CurrentSize);
            Assert.Equal(2, m.ValueCount);
            Assert.Equal("b=20, a=5", Describe(m));
            Assert.Equal(65, m.GetStats().PeakSize);
        }

        [Fact]
        public void Replacing_makes_the_key_most_recently_used()
        {
            StateMonitor m = Monitor();
            m.RecordAllocation("a", 1);
            m.RecordAllocation("b", 1);
            m.RecordAllocation("c", 1);
            m.RecordAllocation("a", 1); // same size: still a replacement, still becomes MRU
            Assert.Equal(new[] { "b", "c", "a" }, m.GetLruKeys(10));
        }

        [Fact]
        public void Size_zero_is_an_entry_not_a_removal()
        {
            StateMonitor m = Monitor();
            Assert.True(m.RecordAllocation("empty", 0));
            Assert.Equal(0, m.CurrentSize);
            Assert.Equal(1, m.ValueCount);
            Assert.True(m.TryGetAllocation("empty", out AllocationEntry? e));
            Assert.Equal(0, e!.Size);

            m.RecordAllocation("x", 10);
            Assert.True(m.RecordAllocation("x", 0));
            Assert.Equal(0, m.CurrentSize);
            Assert.Equal(2, m.ValueCount);
            Assert.Equal("empty=0, x=0", Describe(m));

            Assert.True(m.RecordDeallocation("x"));
            Assert.Equal(1, m.ValueCount);
        }

        [Fact]
        public void Deallocation_removes_known_keys_only()
        {
            StateMonitor m = Monitor();
            m.RecordAllocation("a", 10);
            m.RecordAllocation("b", 20);
            Assert.False(m.RecordDeallocation("nope"));
            Assert.True(m.RecordDeallocation("a"));
            Assert.False(m.RecordDeallocation("a"));
            Assert.Equal(20, m.CurrentSize);
            Assert.Equal(1, m.ValueCount);
            Assert.False(m.TryGetAllocation("a", out AllocationEntry? gone));
            Assert.Null(gone);
            Assert.Empty(m.GetAlerts());
        }

        [Fact]
        public void Detailed_deallocation_with_a_size_uses_the_recorded_size()
        {
            StateMonitor m = Monitor();
            m.RecordAllocation("a", 10);
            m.RecordAllocation("b", 20);
            Assert.True(m.RecordDeallocation("a", 999));
            Assert.Equal(20, m.CurrentSize);
            Assert.False(m.RecordDeallocation("a", 10));
            Assert.Equal(20, m.CurrentSize);
        }

        [Fact]
        public void Access_makes_the_key_most_recently_used()
        {
            StateMonitor m = Monitor();
            m.RecordAllocation("a", 1);
            m.RecordAllocation("b", 1);
            m.RecordAllocation("c", 1);
            Assert.True(m.RecordAccess("a"));
            Assert.False(m.RecordAccess("zzz"));
            Assert.Equal(new[] { "b", "c", "a" }, m.GetLruKeys(3));
            Assert.True(m.RecordAccess("a")); // already MRU
            Assert.Equal(new[] { "b", "c", "a" }, m.GetLruKeys(3));
            Assert.Equal(3, m.CurrentSize);
        }

        [Fact]
        public void Keys_are_ordinal_and_case_sensitive()
        {
            StateMonitor m = Monitor();
            m.RecordAllocation("Key", 1);
            m.RecordAllocation("key", 2);
            m.RecordAllocation("KEY", 3);
            Assert.Equal(3, m.ValueCount);
            Assert.Equal(6, m.CurrentSize);
            Assert.False(m.RecordAccess("kEy"));
        }

        [Fact]
        public void GetLruKeys_returns_at_most_count_least_recent_first()
        {
            StateMonitor m = Monitor();
            foreach (string k in new[] { "a", "b", "c", "d" })
            {
                m.RecordAllocation(k, 1);
            }

            Assert.Empty(m.GetLruKeys(0));
            Assert.Equal(new[] { "a" }, m.GetLruKeys(1));
            Assert.Equal(new[] { "a", "b" }, m.GetLruKeys(2));
            Assert.Equal(new[] { "a", "b", "c", "d" }, m.GetLruKeys(100));
            Assert.Equal(new[] { "a", "b", "c", "d" }, m.GetLruKeys(int.MaxValue));
        }

        [Fact]
        public void GetAllocations_is_a_snapshot_least_recent_first()
        {
            StateMonitor m = Monitor(streaming: true, value: 20, chunk: 5, name: "snap");
            m.Allocate("pinned", 10, pin: true);
            m.RecordAllocation("plain", 7);
            m.RecordAllocation("streamed", 30);
            var snapshot = m.GetAllocations();
            Assert.Equal("pinned=10!, plain=7, streamed=30/5~", string.Join(", ", snapshot.Select(Describe)));
            Assert.All(snapshot, e => Assert.Equal("snap", e.MonitorName));
            m.RecordDeallocation("plain");
            Assert.Equal(3, snapshot.Count); // a snapshot, not a live view
            Assert.Equal("plain (7 B)", snapshot[1].ToString());
            Assert.Equal("pinned (10 B, pinned)", snapshot[0].ToString());
            Assert.Equal("streamed (30 B, streamed)", snapshot[2].ToString());
        }

        [Fact]
        public void AutoCleanup_off_rejects_over_the_state_limit_and_changes_nothing()
        {
            StateMonitor m = Monitor(state: 100, auto: false);
            m.RecordAllocation("a", 50);
            m.RecordAllocation("b", 20);
            string before = Fingerprint(m);

            AllocationResult r = m.Allocate("c", 31);
            Assert.False(r.Recorded);
            Assert.Equal(LimitedResource.StateSize, r.RejectedResource);
            Assert.Equal(101, r.AttemptedValue);
            Assert.Equal(100, r.Limit);
            Assert.Equal(70, m.CurrentSize);
            Assert.Equal(2, m.ValueCount);
            Assert.False(m.TryGetAllocation("c", out _));

            var alerts = m.GetAlerts();
            AssertLimitExceeded(Assert.Single(alerts), LimitedResource.StateSize, 101, 100, "c");
            Assert.Equal(1, m.GetStats().RejectedAllocations);
            Assert.Equal(before, Fingerprint(m).Replace("|1|0|0|False|", "|0|0|0|False|"));

            Assert.True(m.RecordAllocation("c", 30)); // exactly at the limit is fine
            Assert.Equal(100, m.CurrentSize);
        }

        [Fact]
        public void AutoCleanup_off_rejects_over_the_entry_limit()
        {
            StateMonitor m = Monitor(entries: 2, auto: false);
            m.RecordAllocation("a", 1);
            m.RecordAllocation("b", 1);
            m.GetAlerts();
            Assert.False(m.RecordAllocation("c", 1));
            AssertLimitExceeded(Assert.Single(m.GetAlerts()), LimitedResource.CacheEntries, 3, 2, "c");
            Assert.Equal(2, m.ValueCount);
            Assert.True(m.RecordAllocation("a", 5)); // replacing does not add an entry
            Assert.Equal(6, m.CurrentSize);
        }

        [Fact]
        public void A_rejected_replacement_keeps_the_old_size_and_recency()
        {
            StateMonitor m = Monitor(state: 100, value: 100, auto: false);
            m.RecordAllocation("a", 60);
            m.RecordAllocation("b", 10);
            m.GetAlerts();
            string before = Fingerprint(m);

            Assert.False(m.RecordAllocation("a", 95)); // 10 + 95 = 105 > 100
            AssertLimitExceeded(Assert.Single(m.GetAlerts()), LimitedResource.StateSize, 105, 100, "a");
            Assert.Equal("a=60, b=10", Describe(m));
            Assert.Equal(70, m.CurrentSize);
            Assert.Equal(1, m.GetStats().RejectedAllocations);
            Assert.Equal(70, m.GetStats().PeakSize);
            Assert.Equal(before, Fingerprint(m).Replace("|1|0|0|False|", "|0|0|0|False|")); // only the rejection counter moved
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Without_streaming_a_value_over_MaxValueSize_is_rejected(bool auto)
        {
            StateMonitor m = Monitor(state: 100, value: 50, auto: auto);
            m.RecordAllocation("a", 10);
            m.RecordAllocation("big", 40);
            m.GetAlerts();

            AllocationResult r = m.Allocate("big", 51);
            Assert.False(r.Recorded);
            Assert.Equal(LimitedResource.ValueSize, r.RejectedResource);
            Assert.Equal(51, r.AttemptedValue);
            Assert.Equal(50, r.Limit);
            AssertLimitExceeded(Assert.Single(m.GetAlerts()), LimitedResource.ValueSize, 51, 50, "big");
            Assert.Equal("a=10, big=40", Describe(m));
            Assert.Equal(0, m.GetStats().TotalEvictions);

            Assert.True(m.RecordAllocation("big", 50)); // exactly MaxValueSize is fine
        }

        [Fact]
        public void Allocate_with_pin_pins_new_and_existing_entries()
        {
            StateMonitor m = Monitor();
            Assert.True(m.Allocate("a", 10, pin: true).Recorded);
            m.RecordAllocation("b", 20);
            m.Allocate("b", 25, pin: true);
            ResourceStats s = m.GetStats();
            Assert.Equal(2, s.PinnedCount);
            Assert.Equal(35, s.PinnedSize);
            m.Allocate("b", 5); // no pin flag: stays pinned
            Assert.True(m.TryGetAllocation("b", out AllocationEntry? b));
            Assert.True(b!.IsPinned);
            Assert.Equal(15, m.GetStats().PinnedSize);
        }

        [Fact]
        public void ValueCount_and_CurrentSize_track_many_keys()
        {
            StateMonitor m = Monitor(state: 1_000_000, value: 1000, entries: 10_000);
            for (int i = 0; i < 500; i++)
            {
                Assert.True(m.RecordAllocation("k" + i, i));
            }

            Assert.Equal(500, m.ValueCount);
            Assert.Equal(500L * 499 / 2, m.CurrentSize);
            for (int i = 0; i < 500; i += 2)
            {
                Assert.True(m.RecordDeallocation("k" + i));
            }

            Assert.Equal(250, m.ValueCount);
            Assert.Equal(Enumerable.Range(0, 500).Where(i => i % 2 == 1).Sum(i => (long)i), m.CurrentSize);
            Assert.Equal(m.CurrentSize, m.GetAllocations().Sum(e => e.ResidentSize));
        }
    }
}
