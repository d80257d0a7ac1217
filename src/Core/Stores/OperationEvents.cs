using System;
using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The alerts and evictions one store operation produced, for the event handlers. A store fills it while it
    /// holds its lock; the <see cref="StateMonitor"/> delivers it after the lock is released. It notes only what
    /// someone will see, so it stays empty (and allocates nothing) when nobody handles the events.
    /// </summary>
    public struct OperationEvents
    {
        private static readonly ResourceAlert[] NoAlerts = new ResourceAlert[0];
        private static readonly EvictedEventArgs[] NoEvictions = new EvictedEventArgs[0];

        private List<ResourceAlert>? _alerts;
        private List<EvictedEventArgs>? _evictions;

        /// <summary>
        /// Events that note evictions only when <paramref name="recordEvictions"/> is true (someone handles
        /// <see cref="StateMonitor.Evicted"/> or asked for the evicted entries) and alerts only when
        /// <paramref name="recordAlerts"/> is true (someone handles <see cref="StateMonitor.AlertRaised"/>). A store
        /// checks <see cref="RecordsEvictions"/> before it builds an entry, so eviction nobody watches allocates nothing.
        /// </summary>
        public OperationEvents(bool recordEvictions, bool recordAlerts)
        {
            _alerts = null;
            _evictions = null;
            RecordsEvictions = recordEvictions;
            RecordsAlerts = recordAlerts;
        }

        /// <summary>True when evictions are noted; a default value notes none.</summary>
        public bool RecordsEvictions { get; }

        /// <summary>True when alerts are noted (they are queued by the store either way); a default value notes none.</summary>
        public bool RecordsAlerts { get; }

        /// <summary>The alerts raised, in order.</summary>
        public readonly IReadOnlyList<ResourceAlert> Alerts => (IReadOnlyList<ResourceAlert>?)_alerts ?? NoAlerts;

        /// <summary>The entries evicted, in order.</summary>
        public readonly IReadOnlyList<EvictedEventArgs> Evictions => (IReadOnlyList<EvictedEventArgs>?)_evictions ?? NoEvictions;

        /// <summary>Notes an alert the store raised (the store has already queued it); ignored unless <see cref="RecordsAlerts"/>.</summary>
        public void Add(ResourceAlert alert)
        {
            if (alert == null)
            {
                throw new ArgumentNullException(nameof(alert));
            }

            if (!RecordsAlerts)
            {
                return;
            }

            (_alerts ??= new List<ResourceAlert>()).Add(alert);
        }

        /// <summary>Notes an entry the store evicted (ignored unless <see cref="RecordsEvictions"/>).</summary>
        public void AddEviction(AllocationEntry entry, EvictionReason reason)
        {
            if (entry == null)
            {
                throw new ArgumentNullException(nameof(entry));
            }

            if (!RecordsEvictions)
            {
                return;
            }

            (_evictions ??= new List<EvictedEventArgs>()).Add(new EvictedEventArgs(entry, reason));
        }
    }
}
