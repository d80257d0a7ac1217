using System;
using System.Globalization;

namespace AgentFlow.Resources
{
    /// <summary>The limited resources an alert can be about.</summary>
    public enum LimitedResource
    {
        /// <summary>Total resident bytes (MaxStateSize).</summary>
        StateSize,

        /// <summary>Bytes of one value (MaxValueSize).</summary>
        ValueSize,

        /// <summary>Number of entries (MaxCacheEntries).</summary>
        CacheEntries,
    }

    /// <summary>The kinds of alert.</summary>
    public enum AlertType
    {
        /// <summary>Usage crossed the cleanup threshold.</summary>
        ApproachingLimit,

        /// <summary>An allocation was rejected.</summary>
        LimitExceeded,

        /// <summary>A cleanup run evicted entries.</summary>
        CleanupTriggered,

        /// <summary>A cleanup could not reach its target.</summary>
        CleanupFailed,

        /// <summary>At the current growth rate usage reaches the cleanup threshold within the limits' PredictionHorizon.</summary>
        PredictedExhaustion,
    }

    /// <summary>Something a monitor wants an operator to know. <see cref="ToString"/> is a one-line message.</summary>
    public abstract class ResourceAlert
    {
        private protected ResourceAlert(string monitorName, DateTime timestamp)
        {
            MonitorName = monitorName;
            Timestamp = timestamp;
        }

        /// <summary>The kind of alert.</summary>
        public abstract AlertType Type { get; }

        /// <summary>When it was raised (UTC).</summary>
        public DateTime Timestamp { get; }

        /// <summary>The name of the monitor that raised it.</summary>
        public string MonitorName { get; }

        /// <summary>The one-line message, without the monitor name and time.</summary>
        public abstract string Message { get; }

        /// <inheritdoc />
        public override string ToString() => $"[{MonitorName}] {Message}";

        private protected static string Percent(double fraction) => Wording.Usage(fraction);

        private protected static string Amount(LimitedResource resource, long value) =>
            resource == LimitedResource.CacheEntries ? Wording.Entries(value) : ByteSize.Format(value);
    }

    /// <summary>Usage reached the cleanup threshold (edge-triggered: raised again only after it dropped below).</summary>
    public sealed class ApproachingLimitAlert : ResourceAlert
    {
        /// <summary>Creates the alert.</summary>
        public ApproachingLimitAlert(string monitorName, DateTime timestamp, LimitedResource resource, double percentage, long current, long limit)
            : base(monitorName, timestamp)
        {
            Resource = resource;
            Percentage = percentage;
            Current = current;
            Limit = limit;
        }

        /// <inheritdoc />
        public override AlertType Type => AlertType.ApproachingLimit;

        /// <summary>StateSize or CacheEntries.</summary>
        public LimitedResource Resource { get; }

        /// <summary>Current / Limit, as a fraction.</summary>
        public double Percentage { get; }

        /// <summary>Usage after the operation (bytes or entries).</summary>
        public long Current { get; }

        /// <summary>The hard limit (bytes or entries).</summary>
        public long Limit { get; }

        /// <inheritdoc />
        public override string Message => $"{Resource} at {Percent(Percentage)}: {Amount(Resource, Current)} of {Amount(Resource, Limit)}.";
    }

    /// <summary>An allocation was rejected because it would have exceeded a hard limit.</summary>
    public sealed class LimitExceededAlert : ResourceAlert
    {
        /// <summary>Creates the alert.</summary>
        public LimitExceededAlert(string monitorName, DateTime timestamp, LimitedResource resource, long current, long limit, string? key)
            : base(monitorName, timestamp)
        {
            Resource = resource;
            Current = current;
            Limit = limit;
            Key = key;
        }

        /// <inheritdoc />
        public override AlertType Type => AlertType.LimitExceeded;

        /// <summary>The limit that was hit.</summary>
        public LimitedResource Resource { get; }

        /// <summary>The value the allocation would have reached (bytes or entries).</summary>
        public long Current { get; }

        /// <summary>The limit (bytes or entries).</summary>
        public long Limit { get; }

        /// <summary>The key of the rejected allocation.</summary>
        public string? Key { get; }

        /// <inheritdoc />
        public override string Message =>
            $"{Resource} limit exceeded{(Key == null ? string.Empty : $" by '{Wording.Key(Key)}'")}: {Amount(Resource, Current)} would exceed {Amount(Resource, Limit)}.";
    }

    /// <summary>A cleanup run evicted entries.</summary>
    public sealed class CleanupTriggeredAlert : ResourceAlert
    {
        /// <summary>Creates the alert.</summary>
        public CleanupTriggeredAlert(string monitorName, DateTime timestamp, long freed, int entriesRemoved, bool automatic)
            : base(monitorName, timestamp)
        {
            Freed = freed;
            EntriesRemoved = entriesRemoved;
            Automatic = automatic;
        }

        /// <inheritdoc />
        public override AlertType Type => AlertType.CleanupTriggered;

        /// <summary>Resident bytes freed.</summary>
        public long Freed { get; }

        /// <summary>Entries evicted.</summary>
        public int EntriesRemoved { get; }

        /// <summary>True when the monitor cleaned up by itself, false for an explicit cleanup.</summary>
        public bool Automatic { get; }

        /// <inheritdoc />
        public override string Message =>
            $"{(Automatic ? "Automatic" : "Manual")} cleanup freed {ByteSize.Format(Freed)} by evicting {Wording.Entries(EntriesRemoved)}.";
    }

    /// <summary>A cleanup could not reach its target (pinned entries, or a fast monitor).</summary>
    public sealed class CleanupFailedAlert : ResourceAlert
    {
        /// <summary>Creates the alert.</summary>
        public CleanupFailedAlert(string monitorName, DateTime timestamp, string message)
            : base(monitorName, timestamp)
        {
            Reason = message;
        }

        /// <inheritdoc />
        public override AlertType Type => AlertType.CleanupFailed;

        /// <summary>Why cleanup failed.</summary>
        public string Reason { get; }

        /// <inheritdoc />
        public override string Message => Reason;
    }

    /// <summary>
    /// At the current growth rate usage reaches the cleanup threshold within the limits' PredictionHorizon
    /// (edge-triggered: raised again only after the prediction no longer says so).
    /// </summary>
    public sealed class PredictedExhaustionAlert : ResourceAlert
    {
        /// <summary>Creates the alert.</summary>
        public PredictedExhaustionAlert(string monitorName, DateTime timestamp, double growthRate, TimeSpan timeToThreshold, TimeSpan horizon, long current, long thresholdBytes)
            : base(monitorName, timestamp)
        {
            GrowthRate = growthRate;
            TimeToThreshold = timeToThreshold;
            Horizon = horizon;
            Current = current;
            ThresholdBytes = thresholdBytes;
        }

        /// <inheritdoc />
        public override AlertType Type => AlertType.PredictedExhaustion;

        /// <summary>The estimated growth of resident bytes, in bytes per second.</summary>
        public double GrowthRate { get; }

        /// <summary>The predicted time until usage reaches the cleanup threshold.</summary>
        public TimeSpan TimeToThreshold { get; }

        /// <summary>The limits' PredictionHorizon it fell below.</summary>
        public TimeSpan Horizon { get; }

        /// <summary>Resident bytes when it was raised.</summary>
        public long Current { get; }

        /// <summary>The cleanup threshold in bytes.</summary>
        public long ThresholdBytes { get; }

        /// <inheritdoc />
        public override string Message =>
            $"Usage grows by {ByteSize.Format((long)Math.Round(GrowthRate))}/s: {ByteSize.Format(Current)} reaches the cleanup threshold of {ByteSize.Format(ThresholdBytes)} in {Duration(TimeToThreshold)}, within the prediction horizon of {Duration(Horizon)}.";

        /// <summary>A time span for people: 42 s, 3 min 5 s, 2 h 10 min.</summary>
        internal static string Duration(TimeSpan span)
        {
            if (span >= TimeSpan.FromHours(1))
            {
                return $"{(long)span.TotalHours} h {span.Minutes} min";
            }

            if (span >= TimeSpan.FromMinutes(1))
            {
                return $"{span.Minutes} min {span.Seconds} s";
            }

            return $"{Math.Ceiling(span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";
        }
    }
}
