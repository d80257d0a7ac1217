using System;
using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Everything a state snapshot file holds: the monitor's name, its kind of store, limits, alert bound and
    /// the store's whole <see cref="StoreState"/>. <see cref="SnapshotWriter"/> and <see cref="SnapshotReader"/>
    /// turn it into the file format and back; <see cref="Restore(string, UsageClock)"/> makes a monitor of it.
    /// </summary>
    public sealed class StateSnapshot
    {
        /// <summary>The <see cref="StateStore.Kind"/> of the detailed in-memory store.</summary>
        public const string MemoryStoreKind = MemoryStore.KindName;

        /// <summary>The <see cref="StateStore.Kind"/> of the counters-only store.</summary>
        public const string CountingStoreKind = CountingStore.KindName;

        /// <summary>Creates the snapshot. Nothing is checked here: the reader checks a file, <see cref="Restore(string, UsageClock)"/> the state.</summary>
        public StateSnapshot(string name, string storeKind, ResourceLimits limits, int maxAlerts, StoreState state, string? source = null)
            : this(name, storeKind, limits, maxAlerts, state, null, source)
        {
        }

        /// <summary>Creates the snapshot with the monitor's usage history (null: the default settings, no samples). Nothing is checked here.</summary>
        public StateSnapshot(string name, string storeKind, ResourceLimits limits, int maxAlerts, StoreState state, UsageHistoryState? history, string? source = null)
        {
            History = history ?? new UsageHistoryState(UsageHistorySettings.DefaultInterval, UsageHistorySettings.DefaultLength, Array.Empty<UsageSample>(), null, false);
            Name = name ?? throw new ArgumentNullException(nameof(name));
            StoreKind = storeKind ?? throw new ArgumentNullException(nameof(storeKind));
            Limits = limits ?? throw new ArgumentNullException(nameof(limits));
            MaxAlerts = maxAlerts;
            State = state ?? throw new ArgumentNullException(nameof(state));
            Source = source ?? name;
        }

        /// <summary>The monitor's name when it was taken.</summary>
        public string Name { get; }

        /// <summary>The kind of store: <see cref="MemoryStoreKind"/> or <see cref="CountingStoreKind"/>.</summary>
        public string StoreKind { get; }

        /// <summary>The limits enforced.</summary>
        public ResourceLimits Limits { get; }

        /// <summary>How many alerts the monitor keeps.</summary>
        public int MaxAlerts { get; }

        /// <summary>Entries in LRU order, counters, triggers, queued alerts.</summary>
        public StoreState State { get; }

        /// <summary>The usage history: its settings, samples and the prediction's edge state.</summary>
        public UsageHistoryState History { get; }

        /// <summary>The file it was read from (the monitor's name for a snapshot taken in memory): named in errors.</summary>
        public string Source { get; }

        /// <summary>The monitor's whole state at one moment (a counters-only monitor: its counters).</summary>
        /// <exception cref="NotSupportedException">The monitor's store cannot export its state.</exception>
        public static StateSnapshot Capture(StateMonitor monitor)
        {
            if (monitor == null)
            {
                throw new ArgumentNullException(nameof(monitor));
            }

            // A store of another kind (a shared budget) is saved as what it holds: a detailed or a counters-only state,
            // which imports as an in-process monitor.
            string kind = monitor.Has(StoreCapabilities.Entries) ? MemoryStoreKind : CountingStoreKind;
            StoreState state = monitor.ExportState();
            return new StateSnapshot(monitor.Name, kind, monitor.Limits, monitor.MaxAlerts, state, monitor.ExportHistory());
        }

        /// <summary>
        /// A new monitor (not registered) with exactly this state, named <paramref name="name"/> or the snapshot's
        /// name. Queued alerts take the monitor's name. Nothing is replayed: no alert is raised, nothing is evicted.
        /// </summary>
        /// <exception cref="InvalidSnapshotException">An unknown kind of store, or a state that disagrees with itself or its limits.</exception>
        public StateMonitor Restore(string? name = null) => Restore(name, null);

        /// <summary>As <see cref="Restore(string)"/>, with the clock the monitor's history and alerts are timed by (null: the system clock).</summary>
        /// <exception cref="InvalidSnapshotException">An unknown kind of store, or a state that disagrees with itself or its limits.</exception>
        public StateMonitor Restore(string? name, UsageClock? clock)
        {
            string monitorName = name ?? Name;
            StoreState state = monitorName == Name ? State : WithAlertsOf(monitorName);
            IReadOnlyList<string> historyProblems = History.Validate();
            if (historyProblems.Count > 0)
            {
                throw new InvalidSnapshotException(Source, SnapshotProblem.InconsistentState, string.Join(" ", historyProblems));
            }

            var settings = new UsageHistorySettings(History.Interval, History.Length, clock);
            try
            {
                StateStore store;
                switch (StoreKind)
                {
                    case MemoryStoreKind:
                        store = MemoryStore.Restore(monitorName, Limits, MaxAlerts, state);
                        break;
                    case CountingStoreKind:
                        store = CountingStore.Restore(monitorName, Limits, MaxAlerts, state);
                        break;
                    default:
                        throw new InvalidSnapshotException(Source, SnapshotProblem.InvalidContent, $"the store kind '{StoreKind}' is unknown; known kinds are '{MemoryStoreKind}' and '{CountingStoreKind}'.");
                }

                var monitor = new StateMonitor(store, settings);
                monitor.RestoreHistory(History);
                return monitor;
            }
            catch (InconsistentStateException exception)
            {
                throw new InvalidSnapshotException(Source, SnapshotProblem.InconsistentState, string.Join(" ", exception.Problems), exception);
            }
        }

        private StoreState WithAlertsOf(string monitorName)
        {
            var alerts = new ResourceAlert[State.Alerts.Count];
            for (int i = 0; i < alerts.Length; i++)
            {
                alerts[i] = AlertCopy.WithMonitorName(State.Alerts[i], monitorName);
            }

            return new StoreState(State.Entries, State.Counters, State.Triggers, alerts, State.AlertsDropped, State.AlertsRaised);
        }
    }
}
