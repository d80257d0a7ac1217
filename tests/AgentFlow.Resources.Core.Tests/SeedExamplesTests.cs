using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The design document's Quick Start, usage examples, profiles and advice, with the outcome each produces now.</summary>
    public abstract class SeedExamplesTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        [Fact]
        public void Quick_start_basic_usage()
        {
            ResourceLimits limits = ResourceLimits.Default;
            var monitor = NewMonitor(limits);

            Assert.True(monitor.RecordAllocation("data", 1024 * 1024));

            ResourceStats stats = monitor.GetStats();
            Assert.Equal("Memory usage: 1.0%", "Memory usage: " + (stats.UsagePercentage * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%");
            Assert.Equal(0.01, stats.UsagePercentage);
            Assert.Equal(MiB, stats.CurrentSize);
            Assert.Equal(100 * MiB, stats.MaxStateSize);
            Assert.Equal(1, stats.ValueCount);
            Assert.Equal(1000, stats.MaxCacheEntries);
            Assert.Equal(83886080, stats.CleanupThresholdBytes);
            Assert.False(stats.ShouldCleanup);

            Assert.False(monitor.ShouldCleanup); // so the sample's cleanup does not run
            var (freed, removed) = monitor.Cleanup(0.5); // and would free nothing if it did: 1 MiB is below 50 MiB
            Assert.Equal(0, freed);
            Assert.Equal(0, removed);
            Assert.Empty(monitor.GetAlerts());
        }

        [Fact]
        public void Quick_start_custom_configuration()
        {
            ResourceLimits limits = ResourceLimits.Builder()
                .MaxStateSize(50 * 1024 * 1024)
                .MaxValueSize(5 * 1024 * 1024)
                .MaxCacheEntries(500)
                .CleanupThreshold(0.75)
                .AutoCleanup(true)
                .EnableStreaming(true)
                .Build();
            Assert.Empty(limits.Validate());
            Assert.Equal(0.65, limits.CleanupTarget);
            Assert.Equal(39321600, limits.CleanupThresholdBytes); // 37.5 MiB
            Assert.Equal(MiB, limits.StreamChunkSize);

            var monitor = NewMonitor(limits);
            Assert.True(monitor.Allocate("large", 8 * MiB).IsStreamed); // over 5 MiB: streamed, 1 MiB resident
            Assert.Equal(MiB, monitor.CurrentSize);
        }

        [Fact]
        public void Example_1_basic_tracking()
        {
            var monitor = NewMonitor(ResourceLimits.Default);
            monitor.RecordAllocation("config", 1024);
            monitor.RecordAllocation("user_data", 512 * 1024);
            monitor.RecordAllocation("results", 2 * 1024 * 1024);

            ResourceStats stats = monitor.GetStats();
            Assert.Equal(2622464, stats.CurrentSize);
            Assert.Equal(3, stats.ValueCount);
            string line = string.Format(
                CultureInfo.InvariantCulture,
                "Using {0:0.00} MB ({1:0.0}%)",
                stats.CurrentSize / (1024.0 * 1024.0),
                stats.UsagePercentage * 100.0);
            Assert.Equal("Using 2.50 MB (2.5%)", line);

            Assert.True(monitor.RecordDeallocation("user_data"));
            Assert.Equal(1024 + 2 * MiB, monitor.CurrentSize);
            Assert.Equal(new[] { "config", "results" }, monitor.GetLruKeys(10));
            Assert.Empty(monitor.GetAlerts());
        }

        [Fact]
        public void Example_2_alert_monitoring()
        {
            ResourceLimits limits = ResourceLimits.Builder()
                .MaxStateSize(10 * 1024 * 1024)
                .CleanupThreshold(0.8)
                .Build();
            Assert.Equal(0.7, limits.CleanupTarget);
            var monitor = NewMonitor(limits);
            List<string> evictions = RecordEvictions(monitor);

            for (int i = 0; i < 10; i++)
            {
                Assert.True(monitor.RecordAllocation("data_" + i, 1024 * 1024));
            }

            // data_7 reaches 8 MiB: cleanup to 7 MiB evicts data_0; data_8 evicts data_1; data_9 evicts data_2.
            Assert.Equal(Enumerable.Range(3, 7).Select(i => "data_" + i), Keys(monitor));
            Assert.Equal(7 * MiB, monitor.CurrentSize);
            Assert.Equal(new[] { "data_0:Threshold", "data_1:Threshold", "data_2:Threshold" }, evictions);

            var alerts = monitor.GetAlerts();
            Assert.Equal(3, alerts.Count);
            foreach (ResourceAlert alert in alerts)
            {
                AssertCleanupTriggered(alert, MiB, 1, automatic: true);
            }

            var printed = alerts.Select(a => a is CleanupTriggeredAlert ct ? $"Cleaned up {ct.Freed} bytes" : a.ToString()).ToArray();
            Assert.Equal(Enumerable.Repeat("Cleaned up 1048576 bytes", 3), printed);
            Assert.DoesNotContain(alerts, a => a.Type == AlertType.ApproachingLimit || a.Type == AlertType.LimitExceeded);

            ResourceStats stats = monitor.GetStats();
            Assert.Equal(8 * MiB, stats.PeakSize);
            Assert.Equal(3, stats.TotalEvictions);
            Assert.Equal(3 * MiB, stats.EvictedBytes);
        }

        [Fact]
        public void Example_3_manual_cleanup()
        {
            ResourceLimits limits = ResourceLimits.Builder()
                .MaxStateSize(20 * 1024 * 1024)
                .AutoCleanup(false)
                .Build();
            var monitor = NewMonitor(limits);
            var log = new List<string>();

            void Step(int i)
            {
                bool success = monitor.RecordAllocation("item_" + i, 1024 * 1024);
                if (!success)
                {
                    log.Add("Allocation failed, performing cleanup...");
                    CleanupResult r = monitor.Cleanup(0.5);
                    log.Add($"Freed {r.BytesFreed} bytes by removing {r.EntriesRemoved} entries");
                }
            }

            for (int i = 0; i < 20; i++)
            {
                Step(i);
            }

            // 20 x 1 MiB is exactly MaxStateSize: every allocation succeeds, no cleanup runs.
            Assert.Empty(log);
            Assert.Equal(20 * MiB, monitor.CurrentSize);
            Assert.Equal(20, monitor.ValueCount);
            AssertApproaching(Assert.Single(monitor.GetAlerts()), LimitedResource.StateSize, 16 * MiB, 20 * MiB); // at item_15

            // One more step of the same loop takes the failure path.
            Step(20);
            Assert.Equal(new[] { "Allocation failed, performing cleanup...", "Freed 10485760 bytes by removing 10 entries" }, log);
            Assert.Equal(10 * MiB, monitor.CurrentSize);
            Assert.Equal(Enumerable.Range(10, 10).Select(i => "item_" + i), Keys(monitor));
            var alerts = monitor.GetAlerts();
            Assert.Equal(new[] { AlertType.LimitExceeded, AlertType.CleanupTriggered }, Types(alerts));
            AssertLimitExceeded(alerts[0], LimitedResource.StateSize, 21 * MiB, 20 * MiB, "item_20");
            AssertCleanupTriggered(alerts[1], 10 * MiB, 10, automatic: false);
        }

        [Fact]
        public void Example_4_lru_based_eviction()
        {
            var monitor = NewMonitor(ResourceLimits.Default);
            monitor.RecordAllocation("old_data", 1024 * 1024);
            monitor.RecordAllocation("recent_data", 1024 * 1024);
            monitor.RecordAllocation("active_data", 1024 * 1024);

            Assert.True(monitor.RecordAccess("active_data"));
            Assert.True(monitor.RecordAccess("recent_data"));

            IReadOnlyList<string> lruKeys = monitor.GetLruKeys(2);
            Assert.Equal(new[] { "old_data", "active_data" }, lruKeys);

            var evicted = new List<string>();
            foreach (string key in lruKeys)
            {
                Assert.True(monitor.RecordDeallocation(key));
                evicted.Add("Evicted: " + key);
            }

            Assert.Equal(new[] { "Evicted: old_data", "Evicted: active_data" }, evicted);
            Assert.Equal(new[] { "recent_data" }, Keys(monitor));
            Assert.Equal(MiB, monitor.CurrentSize);
        }

        [Fact]
        public void Configuration_profiles_are_the_presets()
        {
            void Same(ResourceLimits seed, LimitsPreset preset)
            {
                ResourceLimits p = ResourceLimits.FromPreset(preset);
                Assert.Equal(seed.MaxStateSize, p.MaxStateSize);
                Assert.Equal(seed.MaxValueSize, p.MaxValueSize);
                Assert.Equal(seed.MaxCacheEntries, p.MaxCacheEntries);
                Assert.Equal(seed.CleanupThreshold, p.CleanupThreshold);
                Assert.Equal(seed.CleanupTarget, p.CleanupTarget);
                Assert.Equal(seed.AutoCleanup, p.AutoCleanup);
                Assert.Equal(seed.EnableStreaming, p.EnableStreaming);
                Assert.Equal(seed.StreamChunkSize, p.StreamChunkSize);
                Assert.Empty(p.Validate());
            }

            Same(
                ResourceLimits.Builder().MaxStateSize(25 * 1024 * 1024).MaxValueSize(2 * 1024 * 1024).MaxCacheEntries(250).CleanupThreshold(0.7).AutoCleanup(true).Build(),
                LimitsPreset.MemoryConstrained);
            Same(
                ResourceLimits.Builder().MaxStateSize(500 * 1024 * 1024).MaxValueSize(50 * 1024 * 1024).MaxCacheEntries(5000).CleanupThreshold(0.9).AutoCleanup(false).Build(),
                LimitsPreset.HighThroughput);
            Same(
                ResourceLimits.Builder().MaxStateSize(100 * 1024 * 1024).MaxValueSize(10 * 1024 * 1024).EnableStreaming(true).StreamChunkSize(5 * 1024 * 1024).Build(),
                LimitsPreset.Streaming);
            Same(
                ResourceLimits.Builder().MaxStateSize(1024L * 1024 * 1024).MaxValueSize(100 * 1024 * 1024).MaxCacheEntries(10000).AutoCleanup(true).Build(),
                LimitsPreset.Development);
        }

        [Fact]
        public void High_throughput_profile_fails_fast()
        {
            var monitor = NewMonitor(ResourceLimits.FromPreset(LimitsPreset.HighThroughput));
            for (int i = 0; i < 10; i++)
            {
                Assert.True(monitor.RecordAllocation("chunk_" + i, 50 * MiB));
            }

            Assert.False(monitor.RecordAllocation("chunk_10", 1));
            Assert.Equal(500 * MiB, monitor.CurrentSize);
            Assert.Equal(0, monitor.GetStats().TotalEvictions);
        }

        [Fact]
        public void Memory_constrained_profile_cleans_at_seventy_percent()
        {
            var monitor = NewMonitor(ResourceLimits.FromPreset(LimitsPreset.MemoryConstrained));
            // threshold floor(25 MiB * 0.7) = 18350080 bytes, target floor(25 MiB * 0.6) = 15728640 bytes
            for (int i = 0; i < 17; i++)
            {
                monitor.RecordAllocation("v" + i, MiB);
            }

            Assert.Empty(monitor.GetAlerts()); // 17 MiB < 17.5 MiB
            monitor.RecordAllocation("v17", MiB); // 18 MiB: due, down to 15 MiB
            AssertCleanupTriggered(Assert.Single(monitor.GetAlerts()), 3 * MiB, 3, automatic: true);
            Assert.Equal(15 * MiB, monitor.CurrentSize);
        }

        [Fact]
        public void Best_practice_validate_configuration()
        {
            ResourceLimits good = ResourceLimits.Builder().MaxStateSize(100 * 1024 * 1024).MaxValueSize(10 * 1024 * 1024).Build();
            Assert.Empty(good.Validate());

            ResourceLimits bad = ResourceLimits.Builder().MaxValueSize(200 * 1024 * 1024).MaxStateSize(100 * 1024 * 1024).Build();
            Assert.Equal(new[] { "MaxValueSize (209715200) must not be greater than MaxStateSize (104857600)." }, bad.Validate());
            var ex = Assert.Throws<System.ArgumentException>(() => NewMonitor(bad));
            Assert.Contains("MaxValueSize (209715200) must not be greater than MaxStateSize (104857600).", ex.Message);

            ResourceLimits half = ResourceLimits.Builder().MaxStateSize(512L * 1024 * 1024 / 2).CleanupThreshold(0.8).Build();
            Assert.Empty(half.Validate());

            // "Loading huge files into memory": a 1 GiB value limit over the default 100 MiB state.
            ResourceLimits huge = ResourceLimits.Builder().MaxValueSize(1024 * 1024 * 1024).EnableStreaming(false).Build();
            Assert.Single(huge.Validate());
        }

        [Fact]
        public void Troubleshooting_allocations_failing()
        {
            ResourceLimits limits = ResourceLimits.Builder().MaxStateSize(20 * MiB).AutoCleanup(false).Build();
            var monitor = NewMonitor(limits);
            long size = 11 * MiB;
            Assert.True(limits.ExceedsValueLimit(size)); // value too large: split it or enable streaming
            Assert.False(monitor.RecordAllocation("too_big", size));

            var streaming = NewMonitor(limits.ToBuilder().EnableStreaming(true).Build());
            Assert.True(streaming.RecordAllocation("too_big", size));
            Assert.Equal(MiB, streaming.CurrentSize);

            for (int i = 0; i < 20; i++)
            {
                monitor.RecordAllocation("d" + i, MiB);
            }

            Assert.False(limits.ExceedsStateLimit(monitor.CurrentSize)); // exactly at the limit is not over it
            Assert.False(monitor.RecordAllocation("one_more", 1));
            monitor.Cleanup(0.5);
            Assert.Equal(10 * MiB, monitor.CurrentSize);
            Assert.True(monitor.RecordAllocation("one_more", 1));
        }

        [Fact]
        public void Troubleshooting_manual_eviction_of_lru_keys_not_in_use()
        {
            var monitor = NewMonitor(ResourceLimits.Default);
            for (int i = 0; i < 20; i++)
            {
                monitor.RecordAllocation("k" + i, 1024);
            }

            var inUse = new HashSet<string> { "k1", "k3" };
            foreach (string key in monitor.GetLruKeys(10))
            {
                if (!inUse.Contains(key))
                {
                    monitor.RecordDeallocation(key);
                }
            }

            Assert.Equal(12, monitor.ValueCount);
            Assert.Equal(new[] { "k1", "k3", "k10" }, monitor.GetLruKeys(3));
        }

        [Fact]
        public void Node_level_integration_pattern()
        {
            var monitor = NewMonitor(ResourceLimits.FromPreset(LimitsPreset.MemoryConstrained));
            Assert.True(monitor.RecordAllocation("inputs", MiB));
            Assert.True(monitor.RecordAllocation("outputs", 2 * MiB));
            Assert.True(monitor.RecordDeallocation("inputs"));
            Assert.False(monitor.RecordAllocation("inputs", 3 * MiB)); // over the 2 MiB value limit
            Assert.Equal(2 * MiB, monitor.CurrentSize);
        }
    
        [Fact]
        public void Best_practice_auto_cleanup_prevents_failures_where_manual_cleanup_fails()
        {
            // "Enable auto-cleanup in production": the same forty 1 MiB steps into 20 MiB.
            var automatic = NewMonitor(ResourceLimits.Builder().MaxStateSize(20 * MiB).AutoCleanup(true).CleanupThreshold(0.75).Build());
            var manual = NewMonitor(ResourceLimits.Builder().MaxStateSize(20 * MiB).AutoCleanup(false).Build());
            int automaticFailures = 0;
            int manualFailures = 0;
            for (int i = 0; i < 40; i++)
            {
                automaticFailures += automatic.RecordAllocation("step" + i, MiB) ? 0 : 1;
                manualFailures += manual.RecordAllocation("step" + i, MiB) ? 0 : 1;
            }

            Assert.Equal(0, automaticFailures);
            Assert.Equal(20, manualFailures);
            Assert.True(automatic.CurrentSize < 15 * MiB); // cleaned at 75 % (15 MiB) down to 65 %
            Assert.Equal(20 * MiB, manual.CurrentSize);
        }

        [Fact]
        public void Best_practice_monitor_alerts_regularly_each_alert_has_a_one_line_message()
        {
            var monitor = NewMonitor(ResourceLimits.Builder().MaxStateSize(10 * MiB).AutoCleanup(false).Build(), "etl");
            for (int i = 0; i < 11; i++)
            {
                monitor.RecordAllocation("chunk" + i, MiB);
            }

            var log = monitor.GetAlerts().Select(a => a.ToString()).ToList();
            Assert.Equal(
                new[]
                {
                    "[etl] StateSize at 80.0 %: 8 MB of 10 MB.",
                    "[etl] StateSize limit exceeded by 'chunk10': 11 MB would exceed 10 MB.",
                },
                log);
            Assert.Empty(monitor.GetAlerts()); // drained: the next check sees only new alerts
        }

        [Fact]
        public void Best_practice_streaming_holds_one_chunk_of_a_large_value()
        {
            var streaming = NewMonitor(ResourceLimits.Builder().EnableStreaming(true).StreamChunkSize(5 * MiB).Build());
            Assert.True(streaming.RecordAllocation("dataset", 80 * MiB));
            Assert.Equal(5 * MiB, streaming.CurrentSize);
            ResourceStats stats = streaming.GetStats();
            Assert.Equal(1, stats.StreamedCount);
            Assert.Equal(80 * MiB, stats.StreamedBytes);

            var loading = NewMonitor(ResourceLimits.Default);
            Assert.False(loading.RecordAllocation("dataset", 80 * MiB)); // over the 10 MiB value limit
            Assert.Equal(0, loading.CurrentSize);
        }

        [Fact]
        public void Best_practice_deallocating_temporary_data_returns_the_bytes()
        {
            var monitor = NewMonitor(ResourceLimits.Default);
            monitor.RecordAllocation("config", 4096);
            for (int step = 0; step < 50; step++)
            {
                Assert.True(monitor.RecordAllocation("temp_data", 3 * MiB));
                Assert.True(monitor.RecordDeallocation("temp_data"));
            }

            Assert.Equal(4096, monitor.CurrentSize);
            Assert.Equal(1, monitor.ValueCount);

            var leaky = NewMonitor(ResourceLimits.Builder().AutoCleanup(false).Build());
            int failures = 0;
            for (int step = 0; step < 50; step++)
            {
                failures += leaky.RecordAllocation("temp_data_" + step, 3 * MiB) ? 0 : 1; // never deallocated
            }

            Assert.Equal(17, failures); // 33 × 3 MiB = 99 MiB fit in 100 MiB, the rest is refused
        }

        [Fact]
        public void Workflow_level_integration_pattern()
        {
            // WorkflowExecutor: track the workflow's state, execute the nodes, log the alerts, release the state.
            // The state is pinned: plain LRU would evict it first, as the oldest entry, while the workflow still needs it.
            var monitor = NewMonitor(ResourceLimits.Builder().MaxStateSize(8 * MiB).MaxValueSize(4 * MiB).Build(), "data_pipeline");
            var log = new List<string>();
            monitor.AlertRaised += (_, e) => log.Add(e.Alert.ToString());

            Assert.True(monitor.Allocate("workflow_state", 2 * MiB, pin: true).Recorded);
            for (int node = 0; node < 6; node++)
            {
                Assert.True(monitor.RecordAllocation("node" + node + "/outputs", MiB));
            }

            // node4 reached 7 MiB (threshold 6.4 MiB): node0 and node1 were evicted down to 5 MiB (target 5.6 MiB).
            IReadOnlyList<ResourceAlert> alerts = monitor.GetAlerts();
            AssertCleanupTriggered(Assert.Single(alerts), 2 * MiB, 2, automatic: true);
            Assert.Equal(new[] { "[data_pipeline] Automatic cleanup freed 2 MB by evicting 2 entries." }, log);
            Assert.Equal(new[] { "workflow_state", "node2/outputs", "node3/outputs", "node4/outputs", "node5/outputs" }, Keys(monitor));
            Assert.Equal(6 * MiB, monitor.CurrentSize);

            Assert.True(monitor.RecordDeallocation("workflow_state"));
            Assert.Equal(4 * MiB, monitor.CurrentSize);
            Assert.Equal(0, monitor.GetStats().PinnedCount);
        }
}
}
