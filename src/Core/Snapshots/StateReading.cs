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

            var state = new StoreState(Entries, Counters, Triggers, Alerts, AlertsDropped);
            return new StateSnapshot(Name, StoreKind, Limits, MaxAlerts, state, source);
        }
    }
}
