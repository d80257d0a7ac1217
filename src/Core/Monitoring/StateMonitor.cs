using System;
using System.Collections.Generic;
using System.Threading;
using AgentFlow.Resources.Tracking;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Keeps a workflow's state inside a memory budget: records named allocations against
    /// <see cref="ResourceLimits"/>, keeps least-recently-used order, evicts by itself or on demand,
    /// honours pins, and raises alerts. Thread-safe; every operation is atomic.
    /// </summary>
    public sealed class StateMonitor
    {
        /// <summary>How many alerts a monitor keeps by default before dropping the oldest.</summary>
        public const int DefaultMaxAlerts = 1000;

        private static int s_unnamed;

        private readonly AllocationTracker _tracker;
        private readonly AlertPublisher _alerts;
        private long _eventHandlerErrors;

        /// <summary>A detailed monitor (per-key tracking, LRU, pins, cleanup).</summary>
        /// <exception cref="ArgumentException">The limits are invalid; the message lists every problem.</exception>
        public StateMonitor(ResourceLimits limits)
            : this(limits, null, DefaultMaxAlerts)
        {
        }

        /// <summary>A detailed monitor with a name (shown in alerts) and an alert queue bound.</summary>
        /// <exception cref="ArgumentException">The limits are invalid, or <paramref name="maxAlerts"/> is below 1.</exception>
        public StateMonitor(ResourceLimits limits, string? name, int maxAlerts = DefaultMaxAlerts)
            : this(limits, name, maxAlerts, fast: false)
        {
        }

        private StateMonitor(ResourceLimits limits, string? name, int maxAlerts, bool fast)
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

            if (name != null && name.Trim().Length == 0)
            {
                throw new ArgumentException("A monitor name must not be empty or blank.", nameof(name));
            }

            Name = name ?? "Monitor" + Interlocked.Increment(ref s_unnamed).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Limits = limits;
            MaxAlerts = maxAlerts;
            IsFast = fast;
            _alerts = new AlertPublisher(Name, maxAlerts);
            _tracker = fast ? new CountingTracker(limits, _alerts) : new DetailedTracker(limits, _alerts);
        }

        /// <summary>Raised after the state change for every alert, outside any lock. A handler that throws is counted, not propagated.</summary>
        public event EventHandler<AlertRaisedEventArgs>? AlertRaised;

        /// <summary>Raised after the state change for every evicted entry, outside any lock. A handler that throws is counted, not propagated.</summary>
        public event EventHandler<EvictedEventArgs>? Evicted;

        /// <summary>The monitor's name (shown in alerts and used by the PowerShell module).</summary>
        public string Name { get; }

        /// <summary>The limits enforced.</summary>
        public ResourceLimits Limits { get; }

        /// <summary>True for a fast (counters-only) monitor.</summary>
        public bool IsFast { get; }

        /// <summary>How many alerts are kept before the oldest is dropped.</summary>
        public int MaxAlerts { get; }

        /// <summary>Resident bytes.</summary>
        public long CurrentSize => _tracker.CurrentSize;

        /// <summary>Entries tracked.</summary>
        public long ValueCount => _tracker.ValueCount;

        /// <summary>CurrentSize / MaxStateSize, a fraction.</summary>
        public double UsagePercentage => (double)CurrentSize / Limits.MaxStateSize;

        /// <summary>True when CurrentSize is at or above the cleanup threshold.</summary>
        public bool ShouldCleanup => Limits.ShouldCleanup(CurrentSize);

        /// <summary>A fast monitor: atomic counters only, no per-key map, no LRU, no cleanup.</summary>
        public static StateMonitor CreateFast(ResourceLimits limits, string? name = null, int maxAlerts = DefaultMaxAlerts) =>
            new StateMonitor(limits, name, maxAlerts, fast: true);

        /// <summary>Records (or replaces) an allocation. Returns false when a limit rejected it; nothing changed then.</summary>
        /// <exception cref="ArgumentException">The key is null or empty, or the size is negative.</exception>
        public bool RecordAllocation(string key, long size) => Allocate(key, size).Recorded;

        /// <summary>Records (or replaces) an allocation, optionally pinned, and says what happened.</summary>
        /// <exception cref="ArgumentException">The key is null or empty, or the size is negative.</exception>
        public AllocationResult Allocate(string key, long size, bool pin = false)
        {
            CheckKey(key);
            if (size < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(size), size, "An allocation size must be 0 or more bytes.");
            }

            var notifications = default(Notifications);
            AllocationResult result = _tracker.Allocate(key, size, pin, ref notifications);
            Deliver(ref notifications);
            return result;
        }

        /// <summary>Removes an entry. False when the key is unknown (and always for a fast monitor, which needs the size).</summary>
        public bool RecordDeallocation(string key)
        {
            CheckKey(key);
            var notifications = default(Notifications);
            bool removed = _tracker.Deallocate(key, ref notifications);
            Deliver(ref notifications);
            return removed;
        }

        /// <summary>Removes an entry of a known size: what a fast monitor needs. A detailed monitor uses the size it recorded.</summary>
        /// <exception cref="ArgumentException">Negative size, or (fast) a deallocation that would take a total below zero.</exception>
        public bool RecordDeallocation(string key, long size)
        {
            CheckKey(key);
            if (size < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(size), size, "A deallocation size must be 0 or more bytes.");
            }

            var notifications = default(Notifications);
            bool removed = _tracker.Deallocate(key, size, ref notifications);
            Deliver(ref notifications);
            return removed;
        }

        /// <summary>Makes the key the most recently used. False when unknown or on a fast monitor.</summary>
        public bool RecordAccess(string key)
        {
            CheckKey(key);
            return _tracker.Access(key);
        }

        /// <summary>Pins an entry: no cleanup evicts it. False when unknown or on a fast monitor.</summary>
        public bool Pin(string key)
        {
            CheckKey(key);
            return _tracker.SetPinned(key, true);
        }

        /// <summary>Unpins an entry; it keeps its place in LRU order. False when unknown or on a fast monitor.</summary>
        public bool Unpin(string key)
        {
            CheckKey(key);
            return _tracker.SetPinned(key, false);
        }

        /// <summary>A snapshot of one entry, or false when unknown (always false on a fast monitor).</summary>
        public bool TryGetAllocation(string key, out AllocationEntry? entry)
        {
            CheckKey(key);
            entry = _tracker.Find(key, Name);
            return entry != null;
        }

        /// <summary>A consistent snapshot of usage and counters.</summary>
        public ResourceStats GetStats() =>
            new ResourceStats(Name, IsFast, Limits, _tracker.ReadCounters(), _alerts.Queue.Dropped, Interlocked.Read(ref _eventHandlerErrors));

        /// <summary>
        /// Evicts least-recently-used unpinned entries until CurrentSize is at or below
        /// <paramref name="targetPercentage"/> × MaxStateSize. Raises CleanupFailed when pins keep it above.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The target is NaN or outside 0..1.</exception>
        /// <exception cref="InvalidOperationException">The monitor is a fast monitor.</exception>
        public CleanupResult Cleanup(double targetPercentage)
        {
            CheckTarget(targetPercentage);
            var notifications = default(Notifications);
            try
            {
                return _tracker.Cleanup(targetPercentage, Name, ref notifications);
            }
            finally
            {
                Deliver(ref notifications);
            }
        }

        /// <summary>What <see cref="Cleanup"/> would evict now, without evicting.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The target is NaN or outside 0..1.</exception>
        /// <exception cref="InvalidOperationException">The monitor is a fast monitor.</exception>
        public CleanupPlan PlanCleanup(double targetPercentage)
        {
            CheckTarget(targetPercentage);
            return _tracker.PlanCleanup(targetPercentage, Name);
        }

        /// <summary>Up to <paramref name="count"/> keys, least recently used first (pinned ones included). Empty on a fast monitor.</summary>
        public IReadOnlyList<string> GetLruKeys(int count)
        {
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, "The number of keys must be 0 or more.");
            }

            return _tracker.GetLruKeys(count);
        }

        /// <summary>A snapshot of every entry, least recently used first. Empty on a fast monitor.</summary>
        public IReadOnlyList<AllocationEntry> GetAllocations() => _tracker.GetAllocations(Name);

        /// <summary>Returns the queued alerts, oldest first, and empties the queue.</summary>
        public IReadOnlyList<ResourceAlert> GetAlerts() => _alerts.Queue.Drain();

        /// <summary>Returns the queued alerts of the given types, oldest first, and removes only those from the queue.</summary>
        public IReadOnlyList<ResourceAlert> GetAlerts(params AlertType[] types)
        {
            if (types == null || types.Length == 0)
            {
                return GetAlerts();
            }

            return _alerts.Queue.Drain(types);
        }

        /// <summary>Returns a copy of the queued alerts, oldest first.</summary>
        public IReadOnlyList<ResourceAlert> PeekAlerts() => _alerts.Queue.Peek();

        /// <summary>Empties the alert queue.</summary>
        public void ClearAlerts() => _alerts.Queue.Clear();

        /// <summary>Forgets every entry; totals, counters and the alert queue start again from zero.</summary>
        public void Reset()
        {
            _tracker.Reset();
            _alerts.Queue.Reset();
            Interlocked.Exchange(ref _eventHandlerErrors, 0);
        }

        /// <inheritdoc />
        public override string ToString() => GetStats().ToString();

        private static void CheckKey(string key)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key), "A key is required.");
            }

            if (key.Length == 0)
            {
                throw new ArgumentException("A key must not be empty.", nameof(key));
            }
        }

        private static void CheckTarget(double targetPercentage)
        {
            if (double.IsNaN(targetPercentage) || targetPercentage < 0 || targetPercentage > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(targetPercentage), targetPercentage, "The cleanup target must be a fraction from 0 to 1 (0.5 means 50 %).");
            }
        }

        private void Deliver(ref Notifications notifications)
        {
            if (notifications.Evictions != null && Evicted != null)
            {
                foreach (EvictedEventArgs eviction in notifications.Evictions)
                {
                    Raise(Evicted, eviction);
                }
            }

            if (notifications.Alerts != null && AlertRaised != null)
            {
                foreach (ResourceAlert alert in notifications.Alerts)
                {
                    Raise(AlertRaised, new AlertRaisedEventArgs(alert));
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
    }
}
