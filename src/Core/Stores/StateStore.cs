using System;
using System.Collections.Generic;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Where a monitor's state lives: entries, LRU order, pins, totals, counters, the alert queue and the
    /// edge-trigger state. A <see cref="StateMonitor"/> checks arguments and delivers events; the store applies
    /// the behaviour rules (admission, replace, streaming charge, pins, batch cleanup, edge-triggered alerts,
    /// the bounded alert queue) atomically. A new store is one new type that passes the conformance suite.
    /// </summary>
    /// <remarks>
    /// Arguments arrive already checked by the monitor (non-blank key, sizes and counts not negative, cleanup
    /// targets in 0..1). Operations outside <see cref="Capabilities"/> answer as documented on each member
    /// (false, empty, or <see cref="InvalidOperationException"/>), never by corrupting state. Alerts a store
    /// raises go into its own queue and into the operation's <see cref="OperationEvents"/>.
    /// </remarks>
    public abstract class StateStore : IDisposable
    {
        private ResourceLimits _limits;
        private int _maxAlerts;

        /// <summary>Checks and keeps what every store has.</summary>
        /// <exception cref="ArgumentException">The limits are invalid, the name is blank, or <paramref name="maxAlerts"/> is below 1.</exception>
        protected StateStore(string name, ResourceLimits limits, int maxAlerts)
        {
            if (limits == null)
            {
                throw new ArgumentNullException(nameof(limits));
            }

            limits.EnsureValid(nameof(limits));
            if (maxAlerts < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxAlerts), maxAlerts, "A monitor must keep at least 1 alert.");
            }

            if (name == null)
            {
                throw new ArgumentNullException(nameof(name));
            }

            if (name.Trim().Length == 0)
            {
                throw new ArgumentException("A monitor name must not be empty or blank.", nameof(name));
            }

            Name = name;
            _limits = limits;
            _maxAlerts = maxAlerts;
        }

        /// <summary>The monitor's name.</summary>
        public string Name { get; }

        /// <summary>The limits enforced.</summary>
        /// <remarks>
        /// Fixed for a store that holds its state itself. A store whose limits live with its shared state (a shared
        /// budget's, which another process can replace) keeps this to what it last read there (<see cref="ReplaceLimits"/>).
        /// </remarks>
        public ResourceLimits Limits => _limits;

        /// <summary>How many alerts the queue keeps before it drops the oldest.</summary>
        /// <remarks>Like <see cref="Limits"/>, what a shared store last read of its shared state.</remarks>
        public int MaxAlerts => Volatile.Read(ref _maxAlerts);

        /// <summary>
        /// Adopts the limits and alert bound the store's shared state now holds, when another process replaced them
        /// there: what this store computes from <see cref="Limits"/> (cleanup targets, percentages, snapshots) then
        /// follows them.
        /// </summary>
        /// <exception cref="ArgumentException">The limits are invalid, or <paramref name="maxAlerts"/> is below 1.</exception>
        protected void ReplaceLimits(ResourceLimits limits, int maxAlerts)
        {
            if (limits == null)
            {
                throw new ArgumentNullException(nameof(limits));
            }

            limits.EnsureValid(nameof(limits));
            if (maxAlerts < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxAlerts), maxAlerts, "A monitor must keep at least 1 alert.");
            }

            Volatile.Write(ref _maxAlerts, maxAlerts);
            Volatile.Write(ref _limits, limits);
        }

        /// <summary>What this store can do beyond the common core.</summary>
        public abstract StoreCapabilities Capabilities { get; }

        /// <summary>
        /// False when the state lives elsewhere and no connection to it exists now (a shared budget whose server is down
        /// or unreachable): a call would only wait for its timeout and fail. Cheap, and never waits. True for every
        /// in-process store.
        /// </summary>
        public virtual bool IsReachable => true;

        /// <summary>A short word for the kind of store, shown to users ("Memory", "Counters", ...).</summary>
        public abstract string Kind { get; }

        /// <summary>Resident bytes. Cheap: may be polled.</summary>
        public abstract long CurrentSize { get; }

        /// <summary>Entries tracked. Cheap: may be polled.</summary>
        public abstract long ValueCount { get; }

        /// <summary>Alerts dropped because the queue was full.</summary>
        public abstract long AlertsDropped { get; }

        /// <summary>Records or replaces an allocation under the behaviour rules; returns what happened.</summary>
        public abstract AllocationResult Allocate(string key, long size, AllocationOptions options, ref OperationEvents events);

        /// <summary>
        /// Records several allocations in order, each one atomic operation under the same rules as
        /// <see cref="Allocate"/>; <paramref name="results"/>[i] is the outcome of <paramref name="requests"/>[i]. A
        /// store in another process sends them together (pipelined), so the run costs about one round trip instead
        /// of one per allocation; an in-process store records them one after the other.
        /// </summary>
        public virtual void AllocateMany(IReadOnlyList<AllocationRequest> requests, AllocationResult[] results, ref OperationEvents events)
        {
            if (requests == null)
            {
                throw new ArgumentNullException(nameof(requests));
            }

            if (results == null)
            {
                throw new ArgumentNullException(nameof(results));
            }

            for (int i = 0; i < requests.Count; i++)
            {
                results[i] = Allocate(requests[i].Key, requests[i].Size, requests[i].Options, ref events);
            }
        }

        /// <summary>
        /// Removes the entry of <paramref name="key"/> in one atomic step; false when there is none (always for a
        /// store without per-key data). With <paramref name="returnEntry"/>, <paramref name="removed"/> is the
        /// entry as it was (off on the hot path, where it would cost an allocation).
        /// </summary>
        public abstract bool Remove(string key, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events);

        /// <summary>
        /// Removes an entry whose size the caller knows: what a store without per-key data needs. A store with
        /// entries uses the size it recorded. Otherwise as <see cref="Remove(string, bool, out AllocationEntry, ref OperationEvents)"/>.
        /// </summary>
        /// <exception cref="ArgumentException">A store without entries would take a total below zero.</exception>
        public abstract bool Remove(string key, long size, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events);

        /// <summary>Makes the key the most recently used; false when unknown or without <see cref="StoreCapabilities.LruOrder"/>.</summary>
        public abstract bool Touch(string key);

        /// <summary>Pins or unpins an entry (an unpinned entry keeps its place in LRU order); false when unknown or without <see cref="StoreCapabilities.Pinning"/>.</summary>
        public abstract bool SetPinned(string key, bool pinned);

        /// <summary>The entry of the key, or null.</summary>
        public abstract AllocationEntry? Find(string key);

        /// <summary>Evicts LRU unpinned entries down to the target; raises CleanupFailed when pins keep it above.</summary>
        /// <exception cref="InvalidOperationException">Without <see cref="StoreCapabilities.Cleanup"/> (after raising CleanupFailed).</exception>
        public abstract CleanupResult Cleanup(double targetPercentage, ref OperationEvents events);

        /// <summary>
        /// Automatic cleanup started early because the monitor predicts exhaustion (the limits' PredictiveCleanup):
        /// evicts least-recently-used unpinned entries, never <paramref name="protectedKey"/> (the entry just recorded),
        /// down to the cleanup target in bytes and entries; evictions have the reason <see cref="EvictionReason.Predicted"/>
        /// and a run that evicted raises CleanupTriggered (automatic). Pins that hold it above the target raise nothing
        /// here: the cleanup at the threshold reports them. A store without <see cref="StoreCapabilities.Cleanup"/>
        /// evicts nothing (the default). Returns the entries evicted.
        /// </summary>
        public virtual int CleanupEarly(string? protectedKey, ref OperationEvents events) => 0;

        /// <summary>
        /// How many alerts of each type the store raised since it was created or reset, indexed by <see cref="AlertType"/>
        /// (for the metrics: agentflow.alerts, agentflow_alerts_total); null when the store does not count them.
        /// </summary>
        public virtual long[]? ReadAlertCounts() => null;

        /// <summary>
        /// Queues an alert the monitor raised itself (PredictedExhaustion: the prediction lives with the monitor's
        /// history, not in the store), so that it is drained, peeked and counted like the store's own alerts.
        /// </summary>
        /// <remarks>The default only hands the alert to the operation's events (the monitor's AlertRaised handlers); a store with an alert queue queues it too.</remarks>
        public virtual void Publish(ResourceAlert alert, ref OperationEvents events) =>
            events.Add(alert ?? throw new ArgumentNullException(nameof(alert)));

        /// <summary>What <see cref="Cleanup"/> would evict now, without evicting.</summary>
        /// <exception cref="InvalidOperationException">Without <see cref="StoreCapabilities.Cleanup"/>.</exception>
        public abstract CleanupPlan PlanCleanup(double targetPercentage);

        /// <summary>
        /// What <see cref="Allocate"/> would do now, without changing anything: recorded or rejected, and which entries
        /// automatic cleanup would evict (<see cref="AllocationPlan.Create"/>). This default reads the counters and the
        /// entries one after the other, so a plan made while others record is approximate; a store that can take both
        /// at one moment overrides it.
        /// </summary>
        public virtual AllocationPlan PlanAllocation(string key, long size, bool pin)
        {
            StoreCounters counters = ReadCounters();
            // Stryker disable once Conditional : a store without per-key data finds nothing (Find returns null), so asking it changes nothing.
            AllocationEntry? existing = Has(StoreCapabilities.Entries) ? Find(key) : null;
            bool canEvict = Has(StoreCapabilities.Cleanup);
            // Stryker disable once Conditional : AllocationPlan.Create reads the evictable entries only when canEvict is true.
            IEnumerable<AllocationEntry> evictable = canEvict ? Unpinned(GetAllocations()) : Array.Empty<AllocationEntry>();
            return AllocationPlan.Create(Name, Limits, counters, existing, evictable, key, size, pin, canEvict);
        }

        /// <summary>Up to <paramref name="count"/> keys, least recently used first (pinned ones included).</summary>
        public abstract IReadOnlyList<string> GetLruKeys(int count);

        /// <summary>Every entry, least recently used first.</summary>
        public abstract IReadOnlyList<AllocationEntry> GetAllocations();

        /// <summary>Totals and counters, consistent with each other.</summary>
        public abstract StoreCounters ReadCounters();

        /// <summary>Removes and returns the queued alerts (all, or those of <paramref name="types"/>), oldest first.</summary>
        public abstract IReadOnlyList<ResourceAlert> DrainAlerts(IReadOnlyCollection<AlertType>? types);

        /// <summary>A copy of the queued alerts, oldest first.</summary>
        public abstract IReadOnlyList<ResourceAlert> PeekAlerts();

        /// <summary>Empties the alert queue.</summary>
        public abstract void ClearAlerts();

        /// <summary>Forgets every entry; totals, counters, triggers and the alert queue start again from zero.</summary>
        public abstract void Reset();

        /// <summary>The whole state at one moment.</summary>
        /// <exception cref="NotSupportedException">Without <see cref="StoreCapabilities.Snapshots"/>.</exception>
        public abstract StoreState ExportState();

        /// <summary>True when the store has every capability in <paramref name="capabilities"/>.</summary>
        public bool Has(StoreCapabilities capabilities) => (Capabilities & capabilities) == capabilities;

        /// <summary>Releases what the store holds outside the process (connections); in-process stores hold nothing.</summary>
        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Releases resources.</summary>
        protected virtual void Dispose(bool disposing)
        {
        }

        private static IEnumerable<AllocationEntry> Unpinned(IReadOnlyList<AllocationEntry> entries)
        {
            foreach (AllocationEntry entry in entries)
            {
                if (!entry.IsPinned)
                {
                    yield return entry;
                }
            }
        }

        /// <summary>floor(target × MaxStateSize), clamped like the limits' own byte thresholds.</summary>
        protected long TargetBytes(double targetPercentage) => ResourceLimits.FloorProduct(Limits.MaxStateSize, targetPercentage);
    }
}
