using System;
using System.Collections.Generic;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The hot path on an existing key allocates nothing on the managed heap.</summary>
    public class AllocationFreeTests
    {
        private const int Iterations = 10_000;

        private static long AllocatedBy(Action action)
        {
            action(); // warm-up: JIT, first-time paths
            action();
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        private static StateMonitor Filled()
        {
            StateMonitor m = Monitor(state: 1_000_000, value: 10_000, entries: 1000, auto: true);
            for (int i = 0; i < 100; i++)
            {
                m.RecordAllocation("key" + i, 100);
            }

            m.Allocate("pinned", 100, pin: true);
            m.GetAlerts();
            return m;
        }

        [Fact]
        public void Replacing_an_existing_key_allocates_nothing()
        {
            StateMonitor m = Filled();
            string[] keys = { "key1", "key50", "key99", "pinned" };
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    m.RecordAllocation(keys[i & 3], 50 + (i & 63));
                }
            });
            Assert.Equal(0, bytes);
            Assert.Equal(101, m.ValueCount);
        }

        [Fact]
        public void Allocate_with_its_result_allocates_nothing()
        {
            StateMonitor m = Filled();
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    AllocationResult r = m.Allocate("key7", i & 127);
                    if (!r.Recorded)
                    {
                        throw new InvalidOperationException();
                    }
                }
            });
            Assert.Equal(0, bytes);
        }

        [Fact]
        public void Recording_access_allocates_nothing()
        {
            StateMonitor m = Filled();
            string[] keys = { "key0", "key33", "key66", "pinned", "missing" };
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    m.RecordAccess(keys[i % 5]);
                }
            });
            Assert.Equal(0, bytes);
        }

        [Fact]
        public void Deallocating_and_re_adding_a_key_allocates_nothing()
        {
            StateMonitor m = Filled();
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    m.RecordDeallocation("key5");
                    m.RecordAllocation("key5", 100);
                }
            });
            Assert.Equal(0, bytes);
            Assert.Equal(101, m.ValueCount);
        }

        [Fact]
        public void Pinning_reading_totals_and_fast_recording_allocate_nothing()
        {
            StateMonitor m = Filled();
            StateMonitor fast = StateMonitor.CreateFast(Limits(state: 1_000_000, value: 10_000, entries: 1_000_000));
            long sink = 0;
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    m.Pin("key9");
                    m.Unpin("key9");
                    sink += m.CurrentSize + m.ValueCount;
                    fast.RecordAllocation("f", 10);
                    fast.RecordDeallocation("f", 10);
                }
            });
            Assert.Equal(0, bytes);
            Assert.True(sink > 0);
        }

        [Fact]
        public void Automatic_eviction_without_subscribers_allocates_nothing()
        {
            // 1000 entries at most; each cleanup run evicts about 100 of them (threshold 80 %, target 70 %).
            StateMonitor m = Monitor(state: 1_000_000, value: 10_000, entries: 1000, threshold: 0.8, target: 0.7);
            string[] keys = new string[4096];
            for (int i = 0; i < keys.Length; i++)
            {
                keys[i] = "churn" + i;
            }

            int next = 0;
            long bytes = AllocatedBy(() =>
            {
                m.ClearAlerts(); // the queue keeps its ring: a full one would only drop the oldest
                for (int i = 0; i < Iterations; i++)
                {
                    m.RecordAllocation(keys[next++ & 4095], 100);
                }
            });
            Assert.Equal(0, bytes);

            // The runs' alerts are all there, made when read.
            IReadOnlyList<ResourceAlert> alerts = m.GetAlerts();
            Assert.True(alerts.Count >= Iterations / 100, "each run evicts a batch of about 100 entries");
            Assert.All(alerts, a => Assert.Equal(AlertType.CleanupTriggered, a.Type));
            Assert.True(m.GetStats().TotalEvictions > 2 * Iterations, "the churn evicted");
        }

        [Fact]
        public void An_explicit_cleanup_allocates_only_the_result_it_returns()
        {
            const int Entries = 5000;
            StateMonitor m = Monitor(state: 1_000_000, value: 10_000, entries: Entries, threshold: 1.0, auto: false);
            for (int i = 0; i < Entries; i++)
            {
                m.RecordAllocation("clean" + i, 100);
            }

            m.GetAlerts();
            m.Cleanup(1.0); // warm-up: nothing to evict
            long snapshotBytes = AllocatedOnce(() => m.GetAllocations()); // the same entries, as an array of snapshots
            long cleanupBytes = AllocatedOnce(() => Assert.Equal(Entries, m.Cleanup(0).EntriesRemoved));
            Assert.Equal(0, m.ValueCount);
            Assert.True(cleanupBytes <= snapshotBytes + 1024, $"Cleanup(0) of {Entries} entries allocated {cleanupBytes} bytes; its entries alone take {snapshotBytes}.");
        }

        private static long AllocatedOnce(Action action)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        [Fact]
        public void Sampling_and_prediction_allocate_nothing_even_when_every_update_starts_a_new_interval()
        {
            // The worst case: the clock moves a whole interval before every update, so each update closes a sample
            // and evaluates the forecast (with a horizon set; the sizes alternate, so nothing is predicted).
            var clock = new ManualClock(HistoryTests.T0);
            var limits = ResourceLimits.Builder().MaxStateSize(1_000_000).MaxValueSize(10_000).PredictionHorizon(TimeSpan.FromMinutes(1)).Build();
            var m = new StateMonitor(limits, "alloc-free-history", StateMonitor.DefaultMaxAlerts, new UsageHistorySettings(TimeSpan.FromSeconds(1), 64, clock));
            m.RecordAllocation("a", 100);
            TimeSpan second = TimeSpan.FromSeconds(1);
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    clock.Advance(second);
                    m.RecordAllocation("a", 100 + (i & 1));
                }
            });
            Assert.Equal(0, bytes);
            Assert.Equal(64, m.GetHistory().Count);
            Assert.Empty(m.GetAlerts());
        }
    }
}
