namespace AgentFlow.Resources
{
    /// <summary>
    /// The names of the state snapshot file format (docs/design/snapshot-format.md), in one place for the
    /// writer, the reader and the tests.
    /// </summary>
    public static class SnapshotFormat
    {
        /// <summary>The value of the file's "format" property.</summary>
        public const string Name = "AgentFlow.Resources.StateSnapshot";

        /// <summary>The format version this module writes, and the newest it reads.</summary>
        public const int Version = 1;

        internal const string Format = "format";
        internal const string VersionProperty = "version";
        internal const string State = "state";
        internal const string Sha256 = "sha256";

        internal const string MonitorName = "name";
        internal const string Store = "store";
        internal const string MaxAlerts = "maxAlerts";
        internal const string Limits = "limits";
        internal const string Counters = "counters";
        internal const string Triggers = "triggers";
        internal const string Alerts = "alerts";
        internal const string Entries = "entries";

        internal const string MaxStateSize = "maxStateSize";
        internal const string MaxValueSize = "maxValueSize";
        internal const string MaxCacheEntries = "maxCacheEntries";
        internal const string CleanupThreshold = "cleanupThreshold";
        internal const string CleanupTarget = "cleanupTarget";
        internal const string AutoCleanup = "autoCleanup";
        internal const string EnableStreaming = "enableStreaming";
        internal const string StreamChunkSize = "streamChunkSize";

        internal const string CurrentSize = "currentSize";
        internal const string ValueCount = "valueCount";
        internal const string PeakSize = "peakSize";
        internal const string PinnedSize = "pinnedSize";
        internal const string PinnedCount = "pinnedCount";
        internal const string StreamedCount = "streamedCount";
        internal const string StreamedBytes = "streamedBytes";
        internal const string TotalEvictions = "totalEvictions";
        internal const string EvictedBytes = "evictedBytes";
        internal const string RejectedAllocations = "rejectedAllocations";
        internal const string RecordedAllocations = "recordedAllocations";
        internal const string AlertsDropped = "alertsDropped";

        internal const string StateAtThreshold = "stateAtThreshold";
        internal const string EntriesAtThreshold = "entriesAtThreshold";
        internal const string AutomaticCleanupFailing = "automaticCleanupFailing";

        internal const string Key = "key";
        internal const string Size = "size";
        internal const string Pinned = "pinned";

        internal const string AlertType = "type";
        internal const string Timestamp = "timestamp";
        internal const string AlertMonitorName = "monitorName";
        internal const string Resource = "resource";
        internal const string Percentage = "percentage";
        internal const string Current = "current";
        internal const string Limit = "limit";
        internal const string Freed = "freed";
        internal const string EntriesRemoved = "entriesRemoved";
        internal const string Automatic = "automatic";
        internal const string Reason = "reason";
        internal const string GrowthRate = "growthRate";
        internal const string TimeToThreshold = "timeToThreshold";
        internal const string Horizon = "horizon";
        internal const string ThresholdBytes = "thresholdBytes";
        internal const string PredictionHorizon = "predictionHorizon";
        internal const string PredictiveCleanup = "predictiveCleanup";
        internal const string AlertsRaised = "alertsRaised";
        internal const string History = "history";
        internal const string Interval = "interval";
        internal const string Length = "length";
        internal const string OpenInterval = "openInterval";
        internal const string ExhaustionPredicted = "exhaustionPredicted";
        internal const string Samples = "samples";
        internal const string Count = "count";
    }
}
