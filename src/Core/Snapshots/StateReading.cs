using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>The parts of a snapshot's "state" as the reader collects them, checked and assembled at the end.</summary>
    internal sealed class StateReading
    {
        public string Name = string.Empty;
        public string StoreKind = string.Empty;
        public int MaxAlerts;
        public ResourceLimits? Limits;
        public StoreCounters Counters;
        public long AlertsDropped;
        public AlertTriggers Triggers;

        public AlertTypeCounts AlertsRaised = AlertTypeCounts.None;

        public UsageHistoryState? History;
        public readonly List<ResourceAlert> Alerts = new List<ResourceAlert>();
        public readonly List<StoreEntry> Entries = new List<StoreEntry>();

        public StateSnapshot ToSnapshot(SnapshotReader reader, string source)
        {
            if (Name.Trim().Length == 0)
            {
                throw reader.Problem(SnapshotProblem.InvalidContent, $"\"{SnapshotFormat.State}.{SnapshotFormat.MonitorName}\" is blank; a monitor needs a name.");
            }

            if (StoreKind != StateSnapshot.MemoryStoreKind && StoreKind != StateSnapshot.CountingStoreKind)
            {
                throw reader.Problem(SnapshotProblem.InvalidContent, $"\"{SnapshotFormat.State}.{SnapshotFormat.Store}\" is '{StoreKind}'; it must be '{StateSnapshot.MemoryStoreKind}' or '{StateSnapshot.CountingStoreKind}'.");
            }

            if (MaxAlerts < 1)
            {
                throw reader.Problem(SnapshotProblem.InvalidContent, $"\"{SnapshotFormat.State}.{SnapshotFormat.MaxAlerts}\" is {MaxAlerts}; a monitor keeps at least 1 alert.");
            }

            IReadOnlyList<string> problems = Limits!.Validate();
            if (problems.Count > 0)
            {
                throw reader.Problem(SnapshotProblem.InvalidLimits, "its limits are invalid: " + string.Join(" ", problems));
            }

            var state = new StoreState(Entries, Counters, Triggers, Alerts, AlertsDropped, AlertsRaised);
            return new StateSnapshot(Name, StoreKind, Limits, MaxAlerts, state, WithPercentages(History!, Limits.MaxStateSize), source);
        }

        private static UsageHistoryState WithPercentages(UsageHistoryState history, long maxStateSize)
        {
            var samples = new UsageSample[history.ClosedSamples.Count];
            for (int i = 0; i < samples.Length; i++)
            {
                UsageSample s = history.ClosedSamples[i];
                samples[i] = new UsageSample(s.Timestamp, s.CurrentSize, s.ValueCount, (double)s.CurrentSize / maxStateSize);
            }

            return new UsageHistoryState(history.Interval, history.Length, samples, history.OpenInterval, history.ExhaustionPredicted);
        }
    }
}
