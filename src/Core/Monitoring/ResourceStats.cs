using System;
using System.Collections.Generic;
using System.Globalization;

namespace AgentFlow.Resources
{
    /// <summary>A consistent snapshot of a monitor's usage and counters.</summary>
    public sealed class ResourceStats
    {
        /// <summary>Creates the snapshot (for stores and hosts that read a store's counters).</summary>
        public ResourceStats(string monitorName, bool isFast, ResourceLimits limits, in StoreCounters counters, long alertsDropped, long eventHandlerErrors)
        {
            MonitorName = monitorName;
            IsFast = isFast;
            CurrentSize = counters.CurrentSize;
            ValueCount = counters.ValueCount;
            MaxStateSize = limits.MaxStateSize;
            MaxCacheEntries = limits.MaxCacheEntries;
            CleanupThresholdBytes = limits.CleanupThresholdBytes;
            UsagePercentage = (double)counters.CurrentSize / limits.MaxStateSize;
            EntryUsagePercentage = (double)counters.ValueCount / limits.MaxCacheEntries;
            ShouldCleanup = limits.ShouldCleanup(counters.CurrentSize);
            PeakSize = counters.PeakSize;
            PinnedSize = counters.PinnedSize;
            PinnedCount = counters.PinnedCount;
            StreamedCount = counters.StreamedCount;
            StreamedBytes = counters.StreamedBytes;
            TotalEvictions = counters.TotalEvictions;
            EvictedBytes = counters.EvictedBytes;
            RejectedAllocations = counters.RejectedAllocations;
            RecordedAllocations = counters.RecordedAllocations;
            AlertsDropped = alertsDropped;
            EventHandlerErrors = eventHandlerErrors;
        }

        /// <summary>The monitor's name.</summary>
        public string MonitorName { get; }

        /// <summary>True for a fast (counters-only) monitor.</summary>
        public bool IsFast { get; }

        /// <summary>Resident bytes.</summary>
        public long CurrentSize { get; }

        /// <summary>The MaxStateSize limit.</summary>
        public long MaxStateSize { get; }

        /// <summary>CurrentSize / MaxStateSize, a fraction.</summary>
        public double UsagePercentage { get; }

        /// <summary>Entries tracked.</summary>
        public long ValueCount { get; }

        /// <summary>The MaxCacheEntries limit.</summary>
        public long MaxCacheEntries { get; }

        /// <summary>ValueCount / MaxCacheEntries, a fraction.</summary>
        public double EntryUsagePercentage { get; }

        /// <summary>floor(MaxStateSize × CleanupThreshold).</summary>
        public long CleanupThresholdBytes { get; }

        /// <summary>True when CurrentSize is at or above CleanupThresholdBytes.</summary>
        public bool ShouldCleanup { get; }

        /// <summary>The highest CurrentSize since creation or the last reset.</summary>
        public long PeakSize { get; }

        /// <summary>Resident bytes of pinned entries.</summary>
        public long PinnedSize { get; }

        /// <summary>Pinned entries.</summary>
        public long PinnedCount { get; }

        /// <summary>Streamed entries.</summary>
        public long StreamedCount { get; }

        /// <summary>Full sizes of streamed entries (most of it lives in file storage).</summary>
        public long StreamedBytes { get; }

        /// <summary>Entries evicted by any cleanup.</summary>
        public long TotalEvictions { get; }

        /// <summary>Resident bytes freed by evictions.</summary>
        public long EvictedBytes { get; }

        /// <summary>Allocations rejected by a limit.</summary>
        public long RejectedAllocations { get; }

        /// <summary>Alerts dropped because the queue was full.</summary>
        public long AlertsDropped { get; }

        /// <summary>Exceptions thrown by AlertRaised or Evicted handlers (caught so the monitor keeps working).</summary>
        public long EventHandlerErrors { get; }

        /// <summary>Allocations recorded (accepted), replacements included.</summary>
        public long RecordedAllocations { get; }

        /// <summary>Alerts raised by this monitor since it was created or reset, by type (every type, zeros included).</summary>
        public AlertTypeCounts AlertsRaised { get; private set; } = AlertTypeCounts.None;

        /// <summary>Estimated growth of resident bytes in bytes per second (least squares over recent history); null with fewer than 3 samples.</summary>
        public double? GrowthRate { get; private set; }

        /// <summary>Predicted time until CurrentSize reaches CleanupThresholdBytes (zero when there); null when not growing or fewer than 3 samples.</summary>
        public TimeSpan? TimeToThreshold { get; private set; }

        /// <summary>Predicted time until CurrentSize reaches MaxStateSize; null when not growing or fewer than 3 samples.</summary>
        public TimeSpan? TimeToLimit { get; private set; }

        /// <summary>Adds what the monitor knows beside its store's counters.</summary>
        internal ResourceStats With(UsageForecast forecast, long[] alertCounts)
        {
            GrowthRate = forecast.GrowthRate;
            TimeToThreshold = forecast.TimeToThreshold;
            TimeToLimit = forecast.TimeToLimit;
            AlertsRaised = new AlertTypeCounts(alertCounts);
            return this;
        }

        /// <inheritdoc />
        public override string ToString() =>
            $"{MonitorName}: {ByteSize.Format(CurrentSize)} of {ByteSize.Format(MaxStateSize)} ({Wording.Usage(UsagePercentage)}), {ValueCount} of {MaxCacheEntries} entries";
    }
}
