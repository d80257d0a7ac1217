using System;
using System.Collections.Generic;
using System.Linq;
using AgentFlow.Resources;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>Shared helpers: small limits in plain bytes, and readable views of a monitor's state.</summary>
    internal static class TestSupport
    {
        public const long KiB = 1024;
        public const long MiB = 1024 * 1024;

        /// <summary>
        /// True under <c>build.ps1 Mutate</c>, which sets AGENTFLOW_MUTATION_RUN=1: Stryker runs the suite once per
        /// mutant on one core, so the long suites then run a quarter of their iterations (see StoreSuite.Effort) and the
        /// model-based tests sample on one thread. Every other run (Test, CI) uses the full counts.
        /// </summary>
        public static bool MutationRun { get; } = Environment.GetEnvironmentVariable("AGENTFLOW_MUTATION_RUN") == "1";

        /// <summary>CsCheck's thread count: its default (every core), one under a mutation run.</summary>
        public static int ModelThreads => MutationRun ? 1 : -1;

        /// <summary>Limits in plain bytes, small enough to reason about exactly.</summary>
        public static ResourceLimits Limits(
            long state = 100,
            long value = 50,
            long entries = 100,
            double threshold = 0.8,
            double? target = null,
            bool auto = true,
            bool streaming = false,
            long chunk = 10)
        {
            ResourceLimitsBuilder builder = ResourceLimits.Builder()
                .MaxStateSize(state)
                .MaxValueSize(value)
                .MaxCacheEntries(entries)
                .CleanupThreshold(threshold)
                .AutoCleanup(auto)
                .EnableStreaming(streaming)
                .StreamChunkSize(chunk);
            if (target.HasValue)
            {
                builder.CleanupTarget(target.Value);
            }

            return builder.Build();
        }

        public static StateMonitor Monitor(
            long state = 100,
            long value = 50,
            long entries = 100,
            double threshold = 0.8,
            double? target = null,
            bool auto = true,
            bool streaming = false,
            long chunk = 10,
            string? name = null,
            int maxAlerts = StateMonitor.DefaultMaxAlerts) =>
            new StateMonitor(Limits(state, value, entries, threshold, target, auto, streaming, chunk), name, maxAlerts);

        /// <summary>Keys, least recently used first.</summary>
        public static string[] Keys(StateMonitor monitor) => monitor.GetAllocations().Select(e => e.Key).ToArray();

        /// <summary>"key=size" (with resident charge, pin and stream marks when they differ), least recently used first.</summary>
        public static string Describe(StateMonitor monitor) => string.Join(", ", monitor.GetAllocations().Select(Describe));

        public static string Describe(AllocationEntry e) =>
            e.Key + "=" + e.Size + (e.ResidentSize != e.Size ? "/" + e.ResidentSize : string.Empty) + (e.IsPinned ? "!" : string.Empty) + (e.IsStreamed ? "~" : string.Empty);

        public static AlertType[] Types(IEnumerable<ResourceAlert> alerts) => alerts.Select(a => a.Type).ToArray();

        /// <summary>Everything observable about a monitor, as one comparable string.</summary>
        public static string Fingerprint(StateMonitor m)
        {
            ResourceStats s = m.GetStats();
            return string.Join(
                "|",
                s.CurrentSize,
                s.ValueCount,
                s.PeakSize,
                s.PinnedSize,
                s.PinnedCount,
                s.StreamedCount,
                s.StreamedBytes,
                s.TotalEvictions,
                s.EvictedBytes,
                s.RejectedAllocations,
                s.AlertsDropped,
                s.EventHandlerErrors,
                s.ShouldCleanup,
                Describe(m),
                string.Join(",", m.GetLruKeys(int.MaxValue)),
                string.Join(",", m.PeekAlerts().Select(a => a.ToString())));
        }

        public static T Single<T>(IReadOnlyList<ResourceAlert> alerts)
            where T : ResourceAlert
        {
            Assert.Single(alerts);
            return Assert.IsType<T>(alerts[0]);
        }

        public static void AssertCleanupTriggered(ResourceAlert alert, long freed, int removed, bool automatic)
        {
            CleanupTriggeredAlert ct = Assert.IsType<CleanupTriggeredAlert>(alert);
            Assert.Equal(freed, ct.Freed);
            Assert.Equal(removed, ct.EntriesRemoved);
            Assert.Equal(automatic, ct.Automatic);
        }

        public static void AssertLimitExceeded(ResourceAlert alert, LimitedResource resource, long current, long limit, string? key)
        {
            LimitExceededAlert le = Assert.IsType<LimitExceededAlert>(alert);
            Assert.Equal(resource, le.Resource);
            Assert.Equal(current, le.Current);
            Assert.Equal(limit, le.Limit);
            Assert.Equal(key, le.Key);
        }

        public static void AssertApproaching(ResourceAlert alert, LimitedResource resource, long current, long limit)
        {
            ApproachingLimitAlert al = Assert.IsType<ApproachingLimitAlert>(alert);
            Assert.Equal(resource, al.Resource);
            Assert.Equal(current, al.Current);
            Assert.Equal(limit, al.Limit);
            Assert.Equal((double)current / limit, al.Percentage);
        }

        /// <summary>Records every Evicted event as "key:reason".</summary>
        public static List<string> RecordEvictions(StateMonitor monitor)
        {
            var list = new List<string>();
            monitor.Evicted += (_, e) => { lock (list) { list.Add(e.Entry.Key + ":" + e.Reason); } };
            return list;
        }
    }
}
