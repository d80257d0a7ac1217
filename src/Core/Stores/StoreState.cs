using System;
using System.Collections.Generic;
using System.Globalization;

namespace AgentFlow.Resources
{
    /// <summary>One entry of a <see cref="StoreState"/>: what a store needs to rebuild it (the charge follows from the limits).</summary>
    public readonly struct StoreEntry
    {
        /// <summary>Creates the entry.</summary>
        public StoreEntry(string key, long size, bool isPinned)
        {
            Key = key;
            Size = size;
            IsPinned = isPinned;
        }

        /// <summary>The key (ordinal).</summary>
        public string Key { get; }

        /// <summary>The full size recorded.</summary>
        public long Size { get; }

        /// <summary>True when pinned.</summary>
        public bool IsPinned { get; }
    }

    /// <summary>
    /// A store's whole state at one moment: entries in least-recently-used order, every counter, the queued
    /// alerts and the edge-trigger state. A store restored from it behaves exactly as the one it was taken
    /// from: the same next eviction, the same next alert.
    /// </summary>
    public sealed class StoreState
    {
        /// <summary>Creates the state. Nothing is checked here: <see cref="Validate"/> says what is inconsistent.</summary>
        public StoreState(IReadOnlyList<StoreEntry> entries, StoreCounters counters, AlertTriggers triggers, IReadOnlyList<ResourceAlert> alerts, long alertsDropped)
            : this(entries, counters, triggers, alerts, alertsDropped, null)
        {
        }

        /// <summary>
        /// Creates the state with the count of alerts raised of each type (<paramref name="alertsRaised"/>: one count
        /// per <see cref="AlertType"/> in declaration order; null for none raised). Nothing is checked here.
        /// </summary>
        public StoreState(IReadOnlyList<StoreEntry> entries, StoreCounters counters, AlertTriggers triggers, IReadOnlyList<ResourceAlert> alerts, long alertsDropped, AlertTypeCounts? alertsRaised)
        {
            Entries = entries ?? throw new ArgumentNullException(nameof(entries));
            Counters = counters;
            Triggers = triggers;
            Alerts = alerts ?? throw new ArgumentNullException(nameof(alerts));
            AlertsDropped = alertsDropped;
            AlertsRaised = alertsRaised ?? AlertTypeCounts.None;
        }

        /// <summary>The entries, least recently used first (empty for a store without per-key data).</summary>
        public IReadOnlyList<StoreEntry> Entries { get; }

        /// <summary>Totals and counters.</summary>
        public StoreCounters Counters { get; }

        /// <summary>Which alert conditions have already been announced.</summary>
        public AlertTriggers Triggers { get; }

        /// <summary>The queued alerts, oldest first.</summary>
        public IReadOnlyList<ResourceAlert> Alerts { get; }

        /// <summary>Alerts dropped because the queue was full.</summary>
        public long AlertsDropped { get; }

        /// <summary>How many alerts of each type were raised (what <see cref="ResourceStats.AlertsRaised"/> reports).</summary>
        public AlertTypeCounts AlertsRaised { get; }

        /// <summary>
        /// Every way this state disagrees with itself or with the limits, one sentence each (empty when it is
        /// consistent): blank or duplicate keys, negative sizes or counters, totals that are not the sums of the
        /// entries, usage above a hard limit, more alerts than the queue holds.
        /// </summary>
        public IReadOnlyList<string> Validate(ResourceLimits limits, int maxAlerts, StoreCapabilities capabilities) =>
            FindProblems(limits, maxAlerts, capabilities, checkKeys: true);

        /// <summary>Throws when <see cref="Validate"/> finds a problem: what a store's Restore calls before it takes the state.</summary>
        /// <exception cref="InconsistentStateException">The state is inconsistent; it lists every problem.</exception>
        public void EnsureValid(ResourceLimits limits, int maxAlerts, StoreCapabilities capabilities) =>
            EnsureValid(limits, maxAlerts, capabilities, checkKeys: true);

        /// <summary>
        /// As <see cref="EnsureValid(ResourceLimits, int, StoreCapabilities)"/>; without <paramref name="checkKeys"/> the keys
        /// are taken as unique and present (the caller's own index has checked them), which spares a set of every key.
        /// </summary>
        internal void EnsureValid(ResourceLimits limits, int maxAlerts, StoreCapabilities capabilities, bool checkKeys)
        {
            IReadOnlyList<string> problems = FindProblems(limits, maxAlerts, capabilities, checkKeys);
            if (problems.Count > 0)
            {
                throw new InconsistentStateException(problems);
            }
        }

        private IReadOnlyList<string> FindProblems(ResourceLimits limits, int maxAlerts, StoreCapabilities capabilities, bool checkKeys)
        {
            if (limits == null)
            {
                throw new ArgumentNullException(nameof(limits));
            }

            var problems = new List<string>();
            StoreCounters c = Counters;
            CheckNotNegative(problems, "CurrentSize", c.CurrentSize);
            CheckNotNegative(problems, "ValueCount", c.ValueCount);
            CheckNotNegative(problems, "PeakSize", c.PeakSize);
            CheckNotNegative(problems, "PinnedSize", c.PinnedSize);
            CheckNotNegative(problems, "PinnedCount", c.PinnedCount);
            CheckNotNegative(problems, "StreamedCount", c.StreamedCount);
            CheckNotNegative(problems, "StreamedBytes", c.StreamedBytes);
            CheckNotNegative(problems, "TotalEvictions", c.TotalEvictions);
            CheckNotNegative(problems, "EvictedBytes", c.EvictedBytes);
            CheckNotNegative(problems, "RejectedAllocations", c.RejectedAllocations);
            CheckNotNegative(problems, "RecordedAllocations", c.RecordedAllocations);
            CheckNotNegative(problems, "AlertsDropped", AlertsDropped);
            foreach (KeyValuePair<AlertType, long> raised in AlertsRaised.ByType())
            {
                CheckNotNegative(problems, "AlertsRaised." + raised.Key, raised.Value);
            }
            if (c.PeakSize < c.CurrentSize)
            {
                problems.Add($"PeakSize {Number(c.PeakSize)} is below CurrentSize {Number(c.CurrentSize)}.");
            }

            if (c.CurrentSize > limits.MaxStateSize)
            {
                problems.Add($"CurrentSize {Number(c.CurrentSize)} is above MaxStateSize {Number(limits.MaxStateSize)}.");
            }

            if (c.ValueCount > limits.MaxCacheEntries)
            {
                problems.Add($"ValueCount {Number(c.ValueCount)} is above MaxCacheEntries {Number(limits.MaxCacheEntries)}.");
            }

            if (Alerts.Count > maxAlerts)
            {
                problems.Add($"{Number(Alerts.Count)} alerts are queued, more than the queue holds ({Number(maxAlerts)}).");
            }

            for (int i = 0; i < Alerts.Count; i++)
            {
                if (Alerts[i] == null)
                {
                    problems.Add($"Alert {i} is missing.");
                }
            }

            if ((capabilities & StoreCapabilities.Entries) == 0)
            {
                if (Entries.Count > 0)
                {
                    problems.Add($"A store without per-key data holds no entries, but {Wording.Entries(Entries.Count)} are listed.");
                }

                if (c.PinnedCount != 0 || c.PinnedSize != 0)
                {
                    problems.Add("A store without per-key data holds no pinned entries.");
                }

                return problems;
            }

            ValidateEntries(limits, problems, checkKeys);
            return problems;
        }

        private void ValidateEntries(ResourceLimits limits, List<string> problems, bool checkKeys)
        {
            // Stryker disable once Conditional : without checkKeys the caller has already found every key unique, so a set would find no repeat.
            HashSet<string>? seen = checkKeys ? new HashSet<string>(StringComparer.Ordinal) : null;
            var sums = default(StoreCounters);
            for (int i = 0; i < Entries.Count; i++)
            {
                StoreEntry e = Entries[i];
                if (AllocationKey.Problem(e.Key) != null)
                {
                    problems.Add($"Entry {i} has a blank key.");
                    continue;
                }

                if (seen != null && !seen.Add(e.Key))
                {
                    problems.Add($"The key '{Wording.Key(e.Key)}' is listed more than once.");
                    continue;
                }

                if (e.Size < 0)
                {
                    problems.Add($"The entry '{Wording.Key(e.Key)}' has a negative size ({Number(e.Size)}).");
                    continue;
                }

                if (limits.ExceedsValueLimit(e.Size) && !limits.IsStreamed(e.Size))
                {
                    problems.Add($"The entry '{Wording.Key(e.Key)}' ({Number(e.Size)} bytes) is larger than MaxValueSize {Number(limits.MaxValueSize)} and streaming is off.");
                    continue;
                }

                long charge = limits.ResidentSize(e.Size);
                sums.CurrentSize = Saturating.Add(sums.CurrentSize, charge);
                sums.ValueCount++;
                if (e.IsPinned)
                {
                    sums.PinnedSize = Saturating.Add(sums.PinnedSize, charge);
                    sums.PinnedCount++;
                }

                if (limits.IsStreamed(e.Size))
                {
                    sums.StreamedCount++;
                    sums.StreamedBytes = Saturating.Add(sums.StreamedBytes, e.Size);
                }
            }

            StoreCounters c = Counters;
            CheckSum(problems, "CurrentSize", c.CurrentSize, sums.CurrentSize);
            CheckSum(problems, "ValueCount", c.ValueCount, sums.ValueCount);
            CheckSum(problems, "PinnedSize", c.PinnedSize, sums.PinnedSize);
            CheckSum(problems, "PinnedCount", c.PinnedCount, sums.PinnedCount);
            CheckSum(problems, "StreamedCount", c.StreamedCount, sums.StreamedCount);
            CheckSum(problems, "StreamedBytes", c.StreamedBytes, sums.StreamedBytes);
        }

        private static void CheckNotNegative(List<string> problems, string name, long value)
        {
            if (value < 0)
            {
                problems.Add($"{name} is negative ({Number(value)}).");
            }
        }

        private static void CheckSum(List<string> problems, string name, long stated, long sum)
        {
            if (stated != sum)
            {
                problems.Add($"{name} is {Number(stated)}, but the entries add up to {Number(sum)}.");
            }
        }

        private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A <see cref="StoreState"/> that cannot be restored: it disagrees with itself or with the limits.</summary>
    public sealed class InconsistentStateException : ArgumentException
    {
        /// <summary>Creates the exception from the problems <see cref="StoreState.Validate"/> found.</summary>
        public InconsistentStateException(IReadOnlyList<string> problems)
            : base("The state cannot be restored: " + string.Join(" ", problems ?? throw new ArgumentNullException(nameof(problems))), "state")
        {
            Problems = problems;
        }

        /// <summary>Every problem, one sentence each.</summary>
        public IReadOnlyList<string> Problems { get; }
    }
}
