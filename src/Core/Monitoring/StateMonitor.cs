using System;
using System.Collections.Generic;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Keeps a workflow's state inside a memory budget: records named allocations against
    /// <see cref="ResourceLimits"/>, keeps least-recently-used order, evicts by itself or on demand,
    /// honours pins, and raises alerts. Thread-safe; every operation is atomic.
    /// </summary>
    /// <remarks>
    /// The monitor checks arguments and delivers events; its <see cref="Store"/> holds the state and applies the
    /// behaviour rules. What a monitor can do beyond recording depends on <see cref="Capabilities"/>.
    /// </remarks>
    public sealed class StateMonitor
    {
        /// <summary>How many alerts a monitor keeps by default before dropping the oldest.</summary>
        public const int DefaultMaxAlerts = 1000;

        private static int s_unnamed;

        [ThreadStatic]
        private static EventDelivery? t_delivery;

        private readonly StateStore _store;
        private readonly UsageWatch? _usage;
        private long _eventHandlerErrors;

        /// <summary>A detailed monitor (per-key tracking, LRU, pins, cleanup) in memory.</summary>
        /// <exception cref="ArgumentException">The limits are invalid; the message lists every problem.</exception>
        public StateMonitor(ResourceLimits limits)
            : this(limits, null, DefaultMaxAlerts)
        {
        }

        /// <summary>A detailed monitor in memory with a name (shown in alerts) and an alert queue bound.</summary>
        /// <exception cref="ArgumentException">The limits are invalid, or <paramref name="maxAlerts"/> is below 1.</exception>
        public StateMonitor(ResourceLimits limits, string? name, int maxAlerts = DefaultMaxAlerts)
            : this(new MemoryStore(NameOrNext(name), CheckLimits(limits), maxAlerts))
        {
        }

        /// <summary>A detailed monitor in memory with a name, an alert queue bound and its usage history settings (interval, length, clock).</summary>
        /// <exception cref="ArgumentException">The limits are invalid, or <paramref name="maxAlerts"/> is below 1.</exception>
        public StateMonitor(ResourceLimits limits, string? name, int maxAlerts, UsageHistorySettings? history)
            : this(new MemoryStore(NameOrNext(name), CheckLimits(limits), maxAlerts), history)
        {
        }

        /// <summary>A monitor over any store: the store's name, limits and capabilities are the monitor's.</summary>
        public StateMonitor(StateStore store)
            : this(store, null)
        {
        }

        /// <summary>A monitor over any store, with its usage history settings (null: 1 s intervals, 3600 samples, the system clock).</summary>
        public StateMonitor(StateStore store, UsageHistorySettings? history)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            History = history ?? UsageHistorySettings.Default;
            _usage = History.Length > 0 ? new UsageWatch(History) : null;
            (store as InProcessStore)?.UseClock(History.Clock);
            ResourceMeter.Register(this);
        }

        /// <summary>Raised after the state change for every alert, outside any lock. A handler that throws is counted, not propagated.</summary>
        public event EventHandler<AlertRaisedEventArgs>? AlertRaised;

        /// <summary>Raised after the state change for every evicted entry, outside any lock. A handler that throws is counted, not propagated.</summary>
        public event EventHandler<EvictedEventArgs>? Evicted;

        /// <summary>The monitor's name (shown in alerts and used by the PowerShell module).</summary>
        public string Name => _store.Name;

        /// <summary>The limits enforced.</summary>
        public ResourceLimits Limits => _store.Limits;

        /// <summary>Where the state lives.</summary>
        public StateStore Store => _store;

        /// <summary>What the monitor can do beyond recording (per-key entries, LRU, pins, cleanup, snapshots, sharing).</summary>
        public StoreCapabilities Capabilities => _store.Capabilities;

        /// <summary>True for a monitor without per-key data (a fast, counters-only monitor).</summary>
        public bool IsFast => !_store.Has(StoreCapabilities.Entries);

        /// <summary>How many alerts are kept before the oldest is dropped.</summary>
        public int MaxAlerts => _store.MaxAlerts;

        /// <summary>How the monitor samples its usage history (interval, length, clock).</summary>
        public UsageHistorySettings History { get; }

        /// <summary>Resident bytes.</summary>
        public long CurrentSize => _store.CurrentSize;

        /// <summary>Entries tracked.</summary>
        public long ValueCount => _store.ValueCount;

        /// <summary>CurrentSize / MaxStateSize, a fraction.</summary>
        public double UsagePercentage => (double)CurrentSize / Limits.MaxStateSize;

        /// <summary>True when CurrentSize is at or above the cleanup threshold.</summary>
        public bool ShouldCleanup => Limits.ShouldCleanup(CurrentSize);

        /// <summary>A fast monitor: atomic counters only, no per-key map, no LRU, no cleanup.</summary>
        public static StateMonitor CreateFast(ResourceLimits limits, string? name = null, int maxAlerts = DefaultMaxAlerts) =>
            new StateMonitor(new CountingStore(NameOrNext(name), CheckLimits(limits), maxAlerts));

        /// <summary>A fast monitor with its usage history settings.</summary>
        public static StateMonitor CreateFast(ResourceLimits limits, string? name, int maxAlerts, UsageHistorySettings? history) =>
            new StateMonitor(new CountingStore(NameOrNext(name), CheckLimits(limits), maxAlerts), history);

        /// <summary>True when the monitor has every capability in <paramref name="capabilities"/>.</summary>
        public bool Has(StoreCapabilities capabilities) => _store.Has(capabilities);

        /// <summary>Records (or replaces) an allocation. Returns false when a limit rejected it; nothing changed then.</summary>
        /// <exception cref="ArgumentException">The key is null, empty or blank, or the size is negative.</exception>
        public bool RecordAllocation(string key, long size) => Allocate(key, size, AllocationOptions.None).Recorded;

        /// <summary>Records (or replaces) an allocation, optionally pinned, and says what happened.</summary>
        /// <exception cref="ArgumentException">The key is null, empty or blank, or the size is negative.</exception>
        public AllocationResult Allocate(string key, long size, bool pin = false) =>
            Allocate(key, size, pin ? AllocationOptions.Pin : AllocationOptions.None);

        /// <summary>Records (or replaces) an allocation and says what happened; <see cref="AllocationOptions.ReturnEntries"/> also returns the entry and the entries evicted.</summary>
        /// <exception cref="ArgumentException">The key is null, empty or blank, or the size is negative.</exception>
        public AllocationResult Allocate(string key, long size, AllocationOptions options)
        {
            CheckAllocation(key, size);

            OperationEvents events = NewEvents((options & AllocationOptions.ReturnEntries) != 0);
            long rolledAt = BeginChange();
            AllocationResult result = _store.Allocate(key, size, options, ref events);
            EndChange(rolledAt, key, ref events);
            Deliver(ref events);
            if ((options & AllocationOptions.ReturnEntries) != 0 &&
                // Stryker disable once Equality : with >= 0 an allocation that evicted nothing gets an empty list of evicted entries, which it has anyway.
                events.Evictions.Count > 0)
            {
                var evicted = new AllocationEntry[events.Evictions.Count];
                for (int i = 0; i < evicted.Length; i++)
                {
                    evicted[i] = events.Evictions[i].Entry;
                }

                result = result.WithEvicted(evicted);
            }

            return result;
        }

        /// <summary>
        /// Records several allocations in order, each one atomic operation, and returns their outcomes in the same
        /// order. A shared (Redis) store sends them together, so the run costs about one round trip; events are
        /// delivered after the whole run. <see cref="AllocationOptions.ReturnEntries"/> returns each recorded entry,
        /// not the entries evicted (the <see cref="Evicted"/> event has them).
        /// </summary>
        /// <exception cref="ArgumentException">A key is null, empty or blank, or a size is negative: nothing is recorded.</exception>
        public AllocationResult[] AllocateMany(IReadOnlyList<AllocationRequest> requests)
        {
            if (requests == null)
            {
                throw new ArgumentNullException(nameof(requests));
            }

            for (int i = 0; i < requests.Count; i++)
            {
                CheckKey(requests[i].Key);
                if (requests[i].Size < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(requests), requests[i].Size, $"An allocation size must be 0 or more bytes ('{requests[i].Key}').");
                }
            }

            var results = new AllocationResult[requests.Count];

            // Stryker disable once Boolean : evictions noted with no Evicted handler are delivered to nobody.
            OperationEvents events = NewEvents(false);
            _store.AllocateMany(requests, results, ref events);
            Deliver(ref events);
            return results;
        }

        /// <summary>Removes an entry. False when the key is unknown (and always for a monitor without entries, which needs the size).</summary>
        public bool RecordDeallocation(string key)
        {
            CheckKey(key);
            // Stryker disable once Boolean : a deallocation evicts nothing, so noting evictions changes nothing.
            OperationEvents events = NewEvents(false);
            long rolledAt = BeginChange();
            bool removed = _store.Remove(key, false, out _, ref events);
            EndChange(rolledAt, null, ref events);
            Deliver(ref events);
            return removed;
        }

        /// <summary>Removes an entry of a known size: what a fast monitor needs. A detailed monitor uses the size it recorded.</summary>
        /// <exception cref="ArgumentException">Negative size, or (fast) a deallocation that would take a total below zero.</exception>
        public bool RecordDeallocation(string key, long size) => RemoveBySize(key, size, false, out _);

        /// <summary>Removes an entry and returns it as it was, in one atomic step; null when the key is unknown (always on a monitor without entries).</summary>
        public AllocationEntry? Remove(string key)
        {
            CheckKey(key);
            // Stryker disable once Boolean : a deallocation evicts nothing, so noting evictions changes nothing.
            OperationEvents events = NewEvents(false);
            long rolledAt = BeginChange();
            _store.Remove(key, true, out AllocationEntry? removed, ref events);
            EndChange(rolledAt, null, ref events);
            Deliver(ref events);
            return removed;
        }

        /// <summary>Removes an entry of a known size and returns it; a monitor with entries uses the size it recorded.</summary>
        /// <exception cref="ArgumentException">Negative size, or (without entries) a deallocation that would take a total below zero.</exception>
        public AllocationEntry? Remove(string key, long size)
        {
            RemoveBySize(key, size, true, out AllocationEntry? removed);
            return removed;
        }

        /// <summary>Makes the key the most recently used. False when unknown or without LRU order.</summary>
        public bool RecordAccess(string key)
        {
            CheckKey(key);
            return _store.Touch(key);
        }

        /// <summary>Pins an entry: no cleanup evicts it. False when unknown or without pinning.</summary>
        public bool Pin(string key)
        {
            CheckKey(key);
            return _store.SetPinned(key, true);
        }

        /// <summary>Unpins an entry; it keeps its place in LRU order. False when unknown or without pinning.</summary>
        public bool Unpin(string key)
        {
            CheckKey(key);
            return _store.SetPinned(key, false);
        }

        /// <summary>A snapshot of one entry, or false when unknown (always false without entries).</summary>
        public bool TryGetAllocation(string key, out AllocationEntry? entry)
        {
            CheckKey(key);
            entry = _store.Find(key);
            return entry != null;
        }

        /// <summary>A consistent snapshot of usage and counters.</summary>
        public ResourceStats GetStats()
        {
            StoreCounters counters = _store.ReadCounters();
            return new ResourceStats(Name, IsFast, Limits, counters, _store.AlertsDropped, Interlocked.Read(ref _eventHandlerErrors))
                .With(ForecastFrom(counters), _store.ReadAlertCounts() ?? new long[AlertCounts.TypeCount]);
        }

        /// <summary>The usage history, oldest first: one sample per interval, the latest value seen in it (the newest is the current usage). Empty with no history.</summary>
        public IReadOnlyList<UsageSample> GetHistory()
        {
            if (_usage == null)
            {
                return new UsageSample[0];
            }

            StoreCounters counters = _store.ReadCounters();
            return _usage.History.Read(counters.CurrentSize, counters.ValueCount, int.MaxValue).ToSamples(Limits.MaxStateSize);
        }

        /// <summary>The growth rate and the predicted times to the threshold and the limit, now.</summary>
        public UsageForecast GetForecast() => ForecastFrom(_store.ReadCounters());

        /// <summary>
        /// Evicts least-recently-used unpinned entries until CurrentSize is at or below
        /// <paramref name="targetPercentage"/> × MaxStateSize. Raises CleanupFailed when pins keep it above.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The target is NaN or outside 0..1.</exception>
        /// <exception cref="InvalidOperationException">The monitor cannot clean up (a fast monitor).</exception>
        public CleanupResult Cleanup(double targetPercentage)
        {
            CheckTarget(targetPercentage);
            OperationEvents events = NewEvents(false);
            long rolledAt = BeginChange();
            try
            {
                return _store.Cleanup(targetPercentage, ref events);
            }
            finally
            {
                EndChange(rolledAt, null, ref events);
                Deliver(ref events);
            }
        }

        /// <summary>What <see cref="Cleanup"/> would evict now, without evicting.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The target is NaN or outside 0..1.</exception>
        /// <exception cref="InvalidOperationException">The monitor cannot clean up (a fast monitor).</exception>
        public CleanupPlan PlanCleanup(double targetPercentage)
        {
            CheckTarget(targetPercentage);
            return _store.PlanCleanup(targetPercentage);
        }

        /// <summary>
        /// What <see cref="Allocate(string, long, AllocationOptions)"/> would do now, without changing anything: whether it
        /// would be recorded, and which entries automatic cleanup would evict, least recently used first. Raises no alert.
        /// </summary>
        /// <exception cref="ArgumentException">The key is null, empty or blank, or the size is negative.</exception>
        public AllocationPlan PlanAllocation(string key, long size, bool pin = false)
        {
            CheckAllocation(key, size);

            return _store.PlanAllocation(key, size, pin);
        }

        /// <summary>Up to <paramref name="count"/> keys, least recently used first (pinned ones included). Empty without LRU order.</summary>
        public IReadOnlyList<string> GetLruKeys(int count)
        {
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, "The number of keys must be 0 or more.");
            }

            return _store.GetLruKeys(count);
        }

        /// <summary>A snapshot of every entry, least recently used first. Empty without entries.</summary>
        public IReadOnlyList<AllocationEntry> GetAllocations() => _store.GetAllocations();

        /// <summary>Returns the queued alerts, oldest first, and empties the queue.</summary>
        public IReadOnlyList<ResourceAlert> GetAlerts() => _store.DrainAlerts(null);

        /// <summary>Returns the queued alerts of the given types, oldest first, and removes only those from the queue.</summary>
        public IReadOnlyList<ResourceAlert> GetAlerts(params AlertType[] types) => _store.DrainAlerts(types);

        /// <summary>Returns a copy of the queued alerts, oldest first.</summary>
        public IReadOnlyList<ResourceAlert> PeekAlerts() => _store.PeekAlerts();

        /// <summary>Empties the alert queue.</summary>
        public void ClearAlerts() => _store.ClearAlerts();

        /// <summary>Forgets every entry; totals, counters and the alert queue start again from zero.</summary>
        public void Reset()
        {
            _store.Reset();
            _usage?.Reset();
            Interlocked.Exchange(ref _eventHandlerErrors, 0);
        }

        /// <summary>The whole state of the store at one moment (entries in LRU order, counters, alerts, triggers).</summary>
        /// <exception cref="NotSupportedException">The store cannot export its state.</exception>
        public StoreState ExportState()
        {
            if (!Has(StoreCapabilities.Snapshots))
            {
                throw new NotSupportedException($"The {_store.Kind} store of monitor '{Name}' cannot export its state.");
            }

            return _store.ExportState();
        }

        /// <summary>The usage history and the prediction's edge state at this moment (settings only when the history keeps nothing).</summary>
        public UsageHistoryState ExportHistory() =>
            _usage?.Export(Limits.MaxStateSize) ?? new UsageHistoryState(History.Interval, History.Length, Array.Empty<UsageSample>(), null, false);

        /// <summary>Puts a snapshot's usage history back; its interval and length must be this monitor's.</summary>
        /// <exception cref="ArgumentException">The history's settings differ from the monitor's, or it is inconsistent.</exception>
        internal void RestoreHistory(UsageHistoryState state)
        {
            if (state.Interval != History.Interval || state.Length != History.Length)
            {
                throw new ArgumentException("The history's interval and length must be the monitor's.", nameof(state));
            }

            _usage?.Restore(state);
        }

        /// <inheritdoc />
        public override string ToString() => GetStats().ToString();

        private static void CheckAllocation(string key, long size)
        {
            CheckKey(key);
            if (size < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(size), size, "An allocation size must be 0 or more bytes.");
            }
        }

        private static void CheckKey(string key)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key), "A key is required.");
            }

            // Only the rare bad key pays for building the message; a good key costs one scan.
            string? problem = AllocationKey.Problem(key);
            if (problem != null)
            {
                throw new ArgumentException(problem, nameof(key));
            }
        }

        private bool RemoveBySize(string key, long size, bool returnEntry, out AllocationEntry? removed)
        {
            CheckKey(key);
            if (size < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(size), size, "A deallocation size must be 0 or more bytes.");
            }

            // Stryker disable once Boolean : a deallocation evicts nothing, so noting evictions changes nothing.
            OperationEvents events = NewEvents(false);
            long rolledAt = BeginChange();
            bool found = _store.Remove(key, size, returnEntry, out removed, ref events);
            EndChange(rolledAt, null, ref events);
            Deliver(ref events);
            return found;
        }

        private static ResourceLimits CheckLimits(ResourceLimits limits) =>
            limits ?? throw new ArgumentNullException(nameof(limits));

        private static string NameOrNext(string? name) =>
            name ?? "Monitor" + Interlocked.Increment(ref s_unnamed).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static void CheckTarget(double targetPercentage)
        {
            if (double.IsNaN(targetPercentage) || targetPercentage < 0 || targetPercentage > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(targetPercentage), targetPercentage, "The cleanup target must be a fraction from 0 to 1 (0.5 means 50 %).");
            }
        }

        private UsageForecast ForecastFrom(in StoreCounters counters) =>
            _usage == null ? default : _usage.Forecast(_usage.Clock.UtcNow.Ticks, counters.CurrentSize, counters.ValueCount, Limits);

        /// <summary>
        /// Before a change: when it falls in a new history interval, closes the open one with the usage before the
        /// change. Costs one clock read and one comparison unless an interval ends (at most once per interval), so
        /// the update path takes no extra lock and allocates nothing. Returns the time of the roll-over, or
        /// <see cref="long.MinValue"/> when none happened.
        /// </summary>
        private long BeginChange()
        {
            if (_usage == null)
            {
                return long.MinValue;
            }

            long now = _usage.Clock.UtcNow.Ticks;
            if (!_usage.History.IsDue(now))
            {
                return long.MinValue;
            }

            StoreCounters before = _store.ReadCounters();
            return _usage.History.Roll(now, before.CurrentSize, before.ValueCount) ? now : long.MinValue;
        }

        /// <summary>
        /// After a change that rolled the history over (once per interval): the forecast; PredictedExhaustion when the
        /// threshold comes within the horizon (edge-triggered); while it does, with PredictiveCleanup, automatic
        /// cleanup down to the target, never evicting <paramref name="recordedKey"/>.
        /// </summary>
        private void EndChange(long rolledAt, string? recordedKey, ref OperationEvents events)
        {
            if (rolledAt == long.MinValue || Limits.PredictionHorizon <= TimeSpan.Zero)
            {
                return;
            }

            StoreCounters after = _store.ReadCounters();
            PredictionOutcome outcome = _usage!.Evaluate(rolledAt, after.CurrentSize, after.ValueCount, Limits);
            if (outcome.RaiseAlert)
            {
                _store.Publish(
                    new PredictedExhaustionAlert(Name, History.Clock.ExactUtcNow, outcome.Forecast.GrowthRate!.Value, outcome.Forecast.TimeToThreshold!.Value, Limits.PredictionHorizon, after.CurrentSize, Limits.CleanupThresholdBytes),
                    ref events);
            }

            if (outcome.ExhaustionPredicted && Limits.PredictiveCleanup)
            {
                _store.CleanupEarly(recordedKey, ref events);
            }
        }


        private OperationEvents NewEvents(bool returnEntries) =>
            new OperationEvents(recordEvictions: returnEntries || Evicted != null, recordAlerts: AlertRaised != null);

        /// <summary>
        /// Delivers an operation's events. An operation made inside a handler (on this thread, on any monitor) has
        /// its events queued and delivered after that handler returns, in order, by the outermost delivery: never
        /// recursively, so a handler that records again cannot grow the stack without bound.
        /// </summary>
        private void Deliver(ref OperationEvents events)
        {
            if (events.Alerts.Count == 0 && events.Evictions.Count == 0)
            {
                // Stryker disable once Statement : with no alerts and no evictions the delivery below delivers nothing.
                return;
            }

            EventDelivery delivery = t_delivery ??= new EventDelivery();
            if (delivery.Delivering)
            {
                delivery.Pending.Enqueue(new PendingEvents(this, events));
                return;
            }

            delivery.Delivering = true;
            try
            {
                DeliverNow(ref events);
                while (delivery.Pending.Count > 0)
                {
                    PendingEvents pending = delivery.Pending.Dequeue();
                    pending.Monitor.DeliverNow(ref pending.Events);
                }
            }
            finally
            {
                // Stryker disable once Statement : handlers' exceptions are caught, so the loop above always empties the queue; this only guards against the impossible.
                delivery.Pending.Clear();
                delivery.Delivering = false;
            }
        }

        private void DeliverNow(ref OperationEvents events)
        {
            // Indexed loops: an interface foreach would allocate an enumerator on every operation.
            IReadOnlyList<EvictedEventArgs> evictions = events.Evictions;
            if (Evicted != null)
            {
                for (int i = 0; i < evictions.Count; i++)
                {
                    Raise(Evicted, evictions[i]);
                }
            }

            IReadOnlyList<ResourceAlert> alerts = events.Alerts;
            if (AlertRaised != null)
            {
                for (int i = 0; i < alerts.Count; i++)
                {
                    Raise(AlertRaised, new AlertRaisedEventArgs(alerts[i]));
                }
            }
        }

        private void Raise<T>(EventHandler<T>? handlers, T args)
        {
            if (handlers == null)
            {
                return;
            }

            foreach (Delegate handler in handlers.GetInvocationList())
            {
                try
                {
                    ((EventHandler<T>)handler)(this, args);
                }
                catch (Exception)
                {
                    // A subscriber's failure must not undo or interrupt an operation that already happened.
                    Interlocked.Increment(ref _eventHandlerErrors);
                }
            }
        }

        /// <summary>The events of operations made inside a handler, waiting for the outermost delivery on this thread.</summary>
        private sealed class EventDelivery
        {
            public readonly Queue<PendingEvents> Pending = new Queue<PendingEvents>();
            public bool Delivering;
        }

        private struct PendingEvents
        {
            public readonly StateMonitor Monitor;
            public OperationEvents Events;

            public PendingEvents(StateMonitor monitor, OperationEvents events)
            {
                Monitor = monitor;
                Events = events;
            }
        }
    }
}
